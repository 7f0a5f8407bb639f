"""Web app: load and lay out a 500-node link chart in headless Chromium (the real app, against a
real `linkage serve` on a generated world), and how responsive the chart stays at that size.

Figures (median of RUNS): the time from asking for the chart to a laid-out, drawn network (API
call + building the elements + fcose layout), to the first picture (entities in rings by distance,
drawn while fcose runs in a worker), the layout alone, the longest main-thread task while
loading (how long the page is unresponsive at worst: the layout's refinement runs in a worker), a
filter change and a zoom to the next painted frame, and, for comparison, Cytoscape's plain
`cose` layout on the same graph (first run only).
Needs Node 20.19+, web/node_modules and Chromium (see tests/web/harness.py); the figures say
"skipped" with the reason when they are missing.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPORTS = 3000
SEED = 7
NODES = 500
RUNS = 3

SCRIPT = r"""
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const require = createRequire(path.join(cfg.webDir, "package.json"));
const { chromium } = require("playwright-core");
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(cfg.tmp, "chromium-")), {
  executablePath: cfg.chromium, headless: true, viewport: { width: 1440, height: 900 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
page.setDefaultTimeout(120000);
await page.goto(cfg.base + "/");
await page.fill("#token", cfg.token);
await page.fill("#purpose", "BENCH web chart");
await page.click("#signin");
await page.waitForSelector(".topbar");
const runs = [];
for (let i = 0; i < cfg.runs; i++) {
  runs.push(await page.evaluate(async ([id, hops, withCose]) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const app = window.__app;
    app.chart.reset(null);
    app.go("search", {});
    await frame();
    const tasks = [];
    const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
    obs.observe({ entryTypes: ["longtask"] });
    const t0 = performance.now();
    app.go("chart", { entity: id, hops: String(hops) });
    await new Promise((res) => {
      const tick = () => (window.__chart && window.__chart.cy.nodes().length ? res() : requestAnimationFrame(tick));
      tick();
    });
    await frame();
    const first = performance.now() - t0;
    await new Promise((res) => {
      const tick = () => (window.__chart && document.querySelector("#chart-status")?.dataset.layoutMs ? res() : requestAnimationFrame(tick));
      tick();
    });
    await frame();
    const total = performance.now() - t0;
    obs.disconnect();
    const longest = tasks.length ? Math.max(...tasks) : 0;
    const { cy, graph } = window.__chart;
    const nodes = cy.nodes().length;
    const edges = cy.edges().length;
    let t = performance.now();
    document.querySelector("#hide-hubs").click();
    await frame();
    const filter = performance.now() - t;
    document.querySelector("#hide-hubs").click();
    await frame();
    t = performance.now();
    cy.zoom({ level: cy.zoom() * 1.3, renderedPosition: { x: 400, y: 300 } });
    await frame();
    const zoom = performance.now() - t;
    let cose = null;
    if (withCose) {
      t = performance.now();
      cy.elements().layout({ name: "cose", animate: false, randomize: true }).run();
      cose = performance.now() - t;
    }
    return { total, first, layout: graph.layoutMs, nodes, edges, filter, zoom, cose, longest };
  }, [cfg.entity, cfg.hops, i === 0]));
}
fs.writeFileSync(process.argv[3], JSON.stringify(runs));
await ctx.close();
"""


def _world(workdir: Path, console) -> tuple[Path, str, int]:
    """A generated world, and the entity whose 4-hop network is largest (capped at NODES)."""
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.analytics.network import network
    from linkage.generate import generate_world
    from linkage.resolve.pipeline import resolve
    from linkage.settings import Settings
    from linkage.store import open_store

    settings = Settings(store=workdir / "graph", neo4j_uri=None, audit_path=None)
    store = open_store(settings)
    try:
        t = time.perf_counter()
        ingest_payloads(store, generate_world(REPORTS, seed=SEED).reports, lookup=ForceLookup.shipped())
        resolve(store)
        console.print(f"  world of {REPORTS:,} reports ingested and resolved in {time.perf_counter() - t:.0f} s")
        degree: dict[str, int] = {}
        for l in store.entity_links():
            degree[l["src"]] = degree.get(l["src"], 0) + 1
            degree[l["dst"]] = degree.get(l["dst"], 0) + 1
        best, size = None, 0
        for eid in sorted(degree, key=lambda e: (-degree[e], e))[:15]:
            n = len(network(store, eid, hops=4, max_nodes=NODES)["nodes"])
            if n > size:
                best, size = eid, n
            if size >= NODES:
                break
    finally:
        store.close()
    return settings.store, best, size


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    import pytest

    from tests.web.harness import ROOT, Server, clean_env, ensure_web_build, install_chromium

    try:
        ensure_web_build()
        chromium = install_chromium()
    except pytest.skip.Exception as exc:  # the harness says why it cannot run
        return [("500-node chart: load and lay out (s)", f"skipped: {exc}", "< 3")]
    store_path, entity, size = _world(workdir, console)
    r = subprocess.run([sys.executable, "-m", "linkage", "--store", str(store_path), "users", "add", "bench",
                        "--role", "analyst", "--json"], cwd=ROOT, capture_output=True, text=True, env=clean_env())
    token = json.loads(r.stdout)["token"]
    server = Server(store_path, workdir / "serve.log")
    try:
        (workdir / "bench.mjs").write_text(SCRIPT)
        cfg = {"base": server.base, "webDir": str(ROOT / "web"), "chromium": chromium, "tmp": str(workdir),
               "token": token, "entity": entity, "hops": 4, "runs": RUNS}
        (workdir / "cfg.json").write_text(json.dumps(cfg))
        out = workdir / "runs.json"
        p = subprocess.run(["node", str(workdir / "bench.mjs"), str(workdir / "cfg.json"), str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
        if p.returncode != 0 or not out.exists():
            return [("500-node chart: load and lay out (s)", f"failed: {p.stderr.strip()[-300:]}", "< 3")]
        runs = json.loads(out.read_text())
    finally:
        server.stop()
    med = {k: statistics.median(r[k] for r in runs) for k in ("total", "first", "layout", "filter", "zoom", "longest")}
    med["cose"] = runs[0]["cose"]
    nodes, edges = runs[0]["nodes"], runs[0]["edges"]
    label = f"{nodes}-node, {edges}-link chart"
    return [
        (f"{label}: request to the final fcose layout on screen (s, median of {RUNS})", f"{med['total'] / 1000:.2f}", "< 3"),
        (f"{label}: request to the first picture (rings by hops) (s)", f"{med['first'] / 1000:.2f}", "< 1.5"),
        (f"{label}: fcose layout alone, in a worker (s)", f"{med['layout'] / 1000:.2f}", "< 2"),
        (f"{label}: longest main-thread task while loading (ms)", f"{med['longest']:.0f}", "< 500"),
        (f"{label}: plain cose layout on the main thread, for comparison (s)", f"{med['cose'] / 1000:.2f}", "-"),
        (f"{label}: filter change to next frame (ms)", f"{med['filter']:.0f}", "< 200"),
        (f"{label}: zoom to next frame (ms)", f"{med['zoom']:.0f}", "< 100"),
    ]
