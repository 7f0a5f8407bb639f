"""Analytics on a generated graph: generate -> ingest -> resolve, then time the questions.

Figures: the projection build, 2-hop neighbourhood latency (p50/p95 over 200 random entities,
through `linkage.analytics.network.network` and, for comparison, the store's own
`neighbourhood` intent), community detection over the whole graph, the full network report,
linked venues, search and the flags.

Size: `LINKAGE_BENCH_ANALYTICS_REPORTS` (default 100,000 reports). To time the analytics on a
store built before (e.g. by an earlier run), set `LINKAGE_BENCH_ANALYTICS_STORE` to its path.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date
from pathlib import Path

REPORTS = int(os.environ.get("LINKAGE_BENCH_ANALYTICS_REPORTS", "100000"))
SAMPLES = 200


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _build(workdir: Path, console) -> tuple[object, dict]:
    from ingest.geo import ForceLookup
    from ingest.run import default_workers, ingest_payloads
    from linkage.generate import generate_world
    from linkage.resolve.pipeline import resolve
    from linkage.store.embedded import EmbeddedStore

    figures = {}
    t0 = time.perf_counter()
    world = generate_world(REPORTS, seed=7, as_of=date(2025, 6, 30))
    payloads = world.reports
    del world
    figures["generate"] = time.perf_counter() - t0
    store = EmbeddedStore(workdir / "graph")
    t0 = time.perf_counter()
    ingest_payloads(store, payloads, lookup=ForceLookup.shipped(), workers=default_workers(len(payloads)))
    figures["ingest"] = time.perf_counter() - t0
    del payloads
    console.print(f"  ingested {REPORTS:,} reports in {figures['ingest']:.0f} s")
    t0 = time.perf_counter()
    resolve(store)
    figures["resolve"] = time.perf_counter() - t0
    console.print(f"  resolved in {figures['resolve']:.0f} s")
    return store, figures


def _machine() -> str:
    """How busy the machine was: timings scale with it (a shared 2-core box under load)."""
    t0 = time.perf_counter()
    x = 0
    for i in range(5_000_000):
        x += i
    loop = time.perf_counter() - t0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load {load:.1f}, 5M-step Python loop {loop:.2f} s"


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    from linkage.analytics import projection as P
    from linkage.analytics.flags import compute_flags
    from linkage.analytics.network import network
    from linkage.analytics.networks import communities, find_networks
    from linkage.analytics.search import search
    from linkage.analytics.venues import linked_venues

    existing = os.environ.get("LINKAGE_BENCH_ANALYTICS_STORE")
    if existing:
        from linkage.store.embedded import EmbeddedStore

        store, built = EmbeddedStore(Path(existing)), {}
    else:
        store, built = _build(workdir, console)
    counts = store.counts()
    size = f"{counts['Report']:,} reports, {counts['Entity']:,} entities, {counts['LINKED']:,} entity links"
    source = f"store at {existing}" if existing else f"built from {REPORTS:,} generated reports"
    rows: list[tuple[str, str, str]] = [("graph", size, source),
                                        ("machine at start", _machine(), "-")]
    for k in ("ingest", "resolve"):
        if k in built:
            rows.append((f"{k} (s)", f"{built[k]:.0f}", "-"))

    t0 = time.perf_counter()
    proj = P.projection(store, fresh=True)
    rows.append(("projection build (s)", f"{time.perf_counter() - t0:.1f}", "-"))

    rng = random.Random(1)
    sample = rng.sample(sorted(proj.entities), min(SAMPLES, len(proj.entities)))
    lat, sizes = [], []
    for eid in sample:
        t0 = time.perf_counter()
        sub = network(store, eid, hops=2)
        lat.append(time.perf_counter() - t0)
        sizes.append(len(sub["nodes"]))
    rows.append(("2-hop neighbourhood p50 (ms)", f"{1000 * _percentile(lat, 0.5):.1f}", "-"))
    rows.append(("2-hop neighbourhood p95 (ms)", f"{1000 * _percentile(lat, 0.95):.1f}", "< 50"))
    rows.append(("2-hop neighbourhood size p50 / max (entities)", f"{_percentile(sizes, 0.5):.0f} / {max(sizes)}", "-"))
    store_lat = []
    for eid in sample[:50]:
        t0 = time.perf_counter()
        store.neighbourhood([eid], hops=2, max_nodes=500)
        store_lat.append(time.perf_counter() - t0)
    rows.append(("store.neighbourhood 2 hops p95 (ms, 50 entities, for comparison)",
                 f"{1000 * _percentile(store_lat, 0.95):.0f}", "-"))

    proj.derived.pop("communities", None)
    t0 = time.perf_counter()
    groups = communities(proj)
    rows.append(("community detection, whole graph (s)", f"{time.perf_counter() - t0:.1f}", "< 30"))
    rows.append(("communities of 3+ entities", f"{sum(1 for g in groups if len(g) >= 3):,}", "-"))
    t0 = time.perf_counter()
    nets = find_networks(store, cross_border=True)
    rows.append(("networks described, cross-border filter (s)", f"{time.perf_counter() - t0:.1f}", "-"))
    rows.append(("cross-border networks", f"{len(nets):,}", "-"))

    t0 = time.perf_counter()
    venues = linked_venues(store, linked_only=True)
    rows.append(("linked venues, all sites (s)", f"{time.perf_counter() - t0:.1f}", "-"))
    t0 = time.perf_counter()
    linked_venues(store, linked_only=True, limit=50)
    rows.append(("linked venues again, cached (ms)", f"{1000 * (time.perf_counter() - t0):.0f}", "-"))
    del venues

    search(store, "warm up")
    t0 = time.perf_counter()
    for text in ("Nguyen Van An", "07700 900123", "ab12 cde", "car wash", "SE14"):
        search(store, text)
    rows.append(("search, mean of 5 queries (ms)", f"{1000 * (time.perf_counter() - t0) / 5:.0f}", "-"))

    t0 = time.perf_counter()
    compute_flags(store, None)
    rows.append(("flags computed (s)", f"{time.perf_counter() - t0:.1f}", "-"))
    rows.append(("machine at end", _machine(), "-"))
    store.close()
    return rows
