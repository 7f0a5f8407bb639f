"""What the web tests need: Node with web/node_modules, Chromium, the built app in api/static, a
store loaded with generated data, users, and a real `linkage serve` on 127.0.0.1.

Chromium is Debian's `chromium` package, installed with apt-get when missing (CI runs as root with
the registries reachable); the tests skip, saying why, only when that is impossible.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
STATIC = ROOT / "api" / "static"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
REPORTS = 800  # generated reports in the test world
SEED = 5

def _run(cmd, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def node_version() -> tuple[int, ...] | None:
    node = shutil.which("node")
    if not node:
        return None
    out = _run([node, "--version"]).stdout.strip().lstrip("v")
    try:
        return tuple(int(x) for x in out.split("."))
    except ValueError:
        return None


def find_chromium() -> str | None:
    for c in (os.environ.get("LINKAGE_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if c and Path(c).exists():
            return c
    return None


def install_chromium() -> str:
    """Debian's chromium, with apt-get, when we may; else a skip saying why."""
    found = find_chromium()
    if found:
        return found
    if not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and apt-get is not available to install it "
                    "(install chromium, or set LINKAGE_CHROMIUM to a Chromium binary)")
    if os.geteuid() != 0:
        pytest.skip("Chromium is not installed and installing it needs root "
                    "(apt-get install chromium, or set LINKAGE_CHROMIUM)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
        if r.returncode != 0:
            pytest.skip(f"could not install Chromium ({' '.join(cmd)} failed: {r.stderr.strip()[-300:]})")
    found = find_chromium()
    if not found:
        pytest.skip("apt-get installed chromium but no Chromium binary was found")
    return found


def ensure_web_build() -> None:
    """web/node_modules (playwright-core) and the built app in api/static."""
    version = node_version()
    if version is None or version < (20, 19):
        pytest.skip(f"Node 20.19+ is needed for the web tests (found {version or 'no node'})")
    npm = shutil.which("npm")
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        if not npm:
            pytest.skip("web/node_modules is missing and npm is not available (run `make web`)")
        r = _run([npm, "ci", "--no-audit", "--no-fund"], cwd=WEB, timeout=900)
        if r.returncode != 0:
            pytest.fail(f"npm ci failed in web/: {r.stderr[-2000:]}")
    if not (STATIC / "index.html").exists():
        r = _run([npm or "npm", "run", "build"], cwd=WEB, timeout=900)
        if r.returncode != 0:
            pytest.fail(f"the web build failed: {r.stdout[-2000:]}{r.stderr[-2000:]}")


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass
class WebWorld:
    store_path: Path
    audit_path: Path
    users: dict = field(default_factory=dict)
    picks: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def _pick(store, settings) -> dict:
    """The entities and dispatches the browser works with, chosen from the data."""
    from linkage.analytics.network import network, paths
    from linkage.analytics.search import search
    from linkage.jobs.routing import list_dispatches

    people = [e for e in store.all_entities("person") if e.get("label")]
    degree: dict[str, int] = {}
    for l in store.entity_links():
        degree[l["src"]] = degree.get(l["src"], 0) + 1
        degree[l["dst"]] = degree.get(l["dst"], 0) + 1

    def searchable(e, query):
        return any(h["entity_id"] == e["entity_id"] for h in search(store, query, limit=100))

    picks: dict = {}
    # a person named with diacritics, searched without them and in the other order, who has a
    # neighbourhood with something two hops away and a path to it
    accented = sorted((e for e in people if fold(e["label"]) != e["label"] and len(e["label"].split()) >= 2
                       and 3 <= degree.get(e["entity_id"], 0) <= 40),
                      key=lambda e: (-degree[e["entity_id"]], e["entity_id"]))
    for e in accented:
        query = " ".join(reversed(fold(e["label"]).replace(",", " ").split())).lower()
        if not searchable(e, query):
            continue
        net = network(store, e["entity_id"], hops=2, max_nodes=500)
        far = [n["entity_id"] for n in net["nodes"] if n["hops"] == 2 and not n["hub"]]
        target = next((t for t in far[:20] if paths(store, e["entity_id"], t, max_hops=4, limit=1)), None)
        if target is None or len(net["nodes"]) > 300:
            continue
        picks["search"] = {"entity_id": e["entity_id"], "label": e["label"], "query": query}
        picks["path_target"] = target
        break
    assert "search" in picks, "no accented, linked, searchable person in the generated world"
    # a person resolved from three or more records, to judge two of them not the same
    multi = sorted((e for e in people if (e.get("record_count") or 0) >= 3 and e["entity_id"] != picks["search"]["entity_id"]
                    and not (e.get("attrs") or {}).get("anonymous")),
                   key=lambda e: (-(e.get("record_count") or 0), e["entity_id"]))
    for e in multi:
        query = fold(e["label"]).lower()
        if searchable(e, query):
            picks["judge"] = {"entity_id": e["entity_id"], "query": query, "label": e["label"]}
            break
    assert "judge" in picks, "no person with three records in the generated world"
    # the force with most dispatches waiting, and a dispatch of another force
    waiting = [d for d in list_dispatches(store) if d["status"] in ("pending", "sent", "failed")]
    counts: dict[str, int] = {}
    for d in waiting:
        counts[d["force"]] = counts.get(d["force"], 0) + 1
    assert counts, "routing made no dispatch"
    force = sorted(counts, key=lambda f: (-counts[f], f))[0]
    picks["force"] = force
    picks["other_dispatch"] = next(d["dispatch_id"] for d in waiting if d["force"] != force)
    return picks


def build_world(base: Path) -> WebWorld:
    from datetime import date

    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.generate import generate_world
    from linkage.resolve.pipeline import resolve
    from linkage.settings import Settings
    from linkage.store import open_store

    settings = Settings(store=base / "graph", neo4j_uri=None, audit_path=None, delivery_config=None)
    world = WebWorld(base / "graph", settings.audit_file())
    t = time.perf_counter()
    store = open_store(settings)
    try:
        generated = generate_world(REPORTS, seed=SEED)
        ingest_payloads(store, generated.reports, lookup=ForceLookup.shipped())
        world.seconds["ingest"] = time.perf_counter() - t
        t = time.perf_counter()
        resolve(store)
        try:
            from linkage.analytics.flags import refresh_flags
        except ImportError:
            pass
        else:
            refresh_flags(store, settings)
        world.seconds["resolve"] = time.perf_counter() - t
        t = time.perf_counter()
        from linkage.jobs.routing import route_all

        route_all(store, settings, by="web-test-hub", deliver=False)
        world.seconds["route"] = time.perf_counter() - t
        t = time.perf_counter()
        try:
            from linkage.jobs.scan import run_scan
        except ImportError:
            pass
        else:
            run_scan(store, settings, on=date.today())
        world.seconds["scan"] = time.perf_counter() - t
        t = time.perf_counter()
        world.picks = _pick(store, settings)
        world.seconds["pick"] = time.perf_counter() - t
    finally:
        store.close()
    for name, role, force in (("web-analyst", "analyst", None), ("web-hub", "hub", None),
                              ("web-force", "force", world.picks["force"])):
        cmd = [sys.executable, "-m", "linkage", "--store", str(world.store_path), "users", "add", name,
               "--role", role, "--json"] + (["--force", force] if force else [])
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, env=clean_env())
        assert r.returncode == 0, r.stderr
        world.users[role] = {"name": name, "token": json.loads(r.stdout)["token"], "force": force}
    return world


def clean_env() -> dict:
    """The environment without LINKAGE_* settings, so the CLI and the server use the test store."""
    return {k: v for k, v in os.environ.items() if not k.startswith("LINKAGE_") and not k.startswith("NEO4J_")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`linkage --store PATH serve --port N` as a subprocess."""

    def __init__(self, store_path: Path, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "w")
        env = clean_env()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "linkage", "--store", str(store_path), "serve", "--port", str(self.port),
             "--log-level", "warning"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"linkage serve exited with {self.proc.returncode}; see {log_path}")
            try:
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"linkage serve did not become ready in 90 s; see {log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


