"""The daily scan over 100,000 generated reports on the embedded store.

Generates a world, ingests it, resolves it, refreshes the flags and finds and saves the networks
as `linkage resolve` does (those times are reported too), then times the scan: a first scan (no
earlier one to compare with; as in a cold process, with nothing held in memory; records the
run), the next day's scan (compared with the first), the same without network alerts
(`--no-networks`), and a read-only scan of a fresh snapshot, as `linkage scan --read-only` runs
beside `linkage serve`. Target: a scan under 20 s. Last, for reference, the time to find the
networks from nothing in this process (what a scan would add if `linkage resolve` had not saved
them, e.g. after a resolution through the API).

BENCH_SCAN_REPORTS changes the size; BENCH_SCAN_KEEP=DIR keeps the prepared store in DIR and
reuses it next time (preparing takes far longer than scanning).
"""

from __future__ import annotations

import json
import os
import time
from datetime import date, timedelta
from pathlib import Path

REPORTS = int(os.environ.get("BENCH_SCAN_REPORTS", "100000"))
KEEP = os.environ.get("BENCH_SCAN_KEEP")
AS_OF = date(2025, 6, 30)
TARGET_S = 20.0


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.analytics.flags import import_orders, refresh_flags
    from linkage.analytics.networks import _all, refresh_networks
    from linkage.analytics.projection import invalidate, projection
    from linkage.generate import generate_world
    from linkage.jobs.scan import run_scan
    from linkage.resolve.pipeline import resolve
    from linkage.settings import Settings
    from linkage.store.embedded import EmbeddedStore

    keep = Path(KEEP) / f"graph-{REPORTS}" if KEEP else None
    path = keep or workdir / "graph"
    figures = []
    if keep is not None and keep.exists():
        console.print(f"  reusing the prepared store {keep}")
        store = EmbeddedStore(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        world = generate_world(REPORTS, seed=11, as_of=AS_OF)
        gen_s = time.perf_counter() - t0
        console.print(f"  generated {len(world.reports):,} reports in {gen_s:.1f} s")
        store = EmbeddedStore(path)
        t0 = time.perf_counter()
        result = ingest_payloads(store, world.reports, lookup=ForceLookup.shipped(), batch_size=10_000,
                                 workers=min(4, os.cpu_count() or 1))
        ingest_s = time.perf_counter() - t0
        orders = path.parent / "orders.jsonl"
        orders.write_text("".join(json.dumps(o) + "\n" for o in world.orders), encoding="utf-8")
        del world
        console.print(f"  ingested in {ingest_s:.1f} s: {result.summary()['by_status']}")
        import_orders(store, orders)
        t0 = time.perf_counter()
        resolve(store)
        resolve_s = time.perf_counter() - t0
        console.print(f"  resolved in {resolve_s:.1f} s")
        t0 = time.perf_counter()
        refresh_flags(store, Settings(store=path))  # what `linkage resolve` does after resolving
        flags_s = time.perf_counter() - t0
        console.print(f"  flags refreshed in {flags_s:.1f} s")
        figures = [(f"generate {REPORTS:,} reports (s)", f"{gen_s:.1f}", "-"),
                   ("ingest (s)", f"{ingest_s:.1f}", "-"), ("resolve (s)", f"{resolve_s:.1f}", "-"),
                   ("refresh flags after resolving (s)", f"{flags_s:.1f}", "-")]
    # the rest of what `linkage resolve` does after resolving (a kept store prepared before the
    # networks were saved gets them here)
    t0 = time.perf_counter()
    saved = refresh_networks(store)
    nets_s = time.perf_counter() - t0
    console.print(f"  networks after resolving: {saved} in {nets_s:.1f} s")
    if saved["found"]:
        figures.append(("find and save networks after resolving (s)", f"{nets_s:.1f}", "-"))
    invalidate()  # the first scan starts as a cold process does: nothing held in memory

    settings = Settings(store=path)

    def timed(label, st, **kw):
        t0 = time.perf_counter()
        res = run_scan(st, settings, **kw)
        secs = time.perf_counter() - t0
        console.print(f"  {label}: {secs:.1f} s {res['timings']}")
        return res, secs

    first, first_s = timed("first scan", store, on=AS_OF, out_dir=workdir / "scan1")
    second, second_s = timed("next day's scan", store, on=AS_OF + timedelta(days=1),
                             out_dir=workdir / "scan2")
    lean, lean_s = timed("next day's scan without network alerts", store, on=AS_OF + timedelta(days=1),
                         out_dir=workdir / "scan2b", networks=False)
    store.close()
    ro = EmbeddedStore(path, read_only=True)
    third, ro_s = timed("read-only scan", ro, on=AS_OF + timedelta(days=2), out_dir=workdir / "scan3",
                        record=False)
    ro.close()
    store = EmbeddedStore(path, read_only=True)
    t0 = time.perf_counter()
    n_all = len(_all(store, projection(store, fresh=True)))
    cold_s = time.perf_counter() - t0
    store.close()
    invalidate()

    c2 = second["counts"]
    unchanged = sum(v["unchanged"] for v in c2["findings"].values())
    html_kb = Path(first["outputs"]["html"]).stat().st_size / 1024
    nets = first["timings"].get("flags_networks", 0.0)
    return figures + [
        ("scan, first (record; network alerts) (s)", f"{first_s:.1f}", f"< {TARGET_S:.0f}"),
        ("  of which find_networks (analytics) (s)", f"{nets:.1f}", "-"),
        (f"find {n_all:,} networks from nothing, cold (not in a scan) (s)", f"{cold_s:.1f}", "-"),
        ("scan, next day (compare, record) (s)", f"{second_s:.1f}", f"< {TARGET_S:.0f}"),
        ("scan, next day, --no-networks (s)", f"{lean_s:.1f}", f"< {TARGET_S:.0f}"),
        ("scan, read-only snapshot (s)", f"{ro_s:.1f}", f"< {TARGET_S:.0f}"),
        ("reports in the 90-day window", f"{first['counts']['reports_in_window']:,}", "-"),
        ("findings / alerts (first scan)", f"{first['counts']['total_findings']:,} / {len(first['alerts']):,}", "-"),
        ("next day: unchanged findings / alerts", f"{unchanged:,} / {len(second['alerts']):,}", "-"),
        ("HTML report (KB)", f"{html_kb:,.0f}", "-"),
    ]
