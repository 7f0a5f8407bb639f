"""The daily scan over 100,000 generated reports on the embedded store.

Generates a world, ingests it, resolves it (those times are reported too), then times the scan:
a first scan (no earlier one to compare with; refreshes the flags and records the run), the next
day's scan (compared with the first), and a read-only scan (flags computed, nothing written), as
`linkage scan --read-only` runs beside `linkage serve`. Target: a scan in under 20 s.
"""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path

REPORTS = int(os.environ.get("BENCH_SCAN_REPORTS", "100000"))
# A folder to keep the generated, ingested and resolved store in and reuse on the next run
# (preparing 100,000 reports takes far longer than scanning them).
KEEP = os.environ.get("BENCH_SCAN_KEEP")
AS_OF = date(2025, 6, 30)
TARGET_S = 20.0


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
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
        del world
        console.print(f"  ingested in {ingest_s:.1f} s: {result.summary()['by_status']}")
        t0 = time.perf_counter()
        resolve(store)
        resolve_s = time.perf_counter() - t0
        console.print(f"  resolved in {resolve_s:.1f} s")
        figures = [(f"generate {REPORTS:,} reports (s)", f"{gen_s:.1f}", "-"),
                   ("ingest (s)", f"{ingest_s:.1f}", "-"), ("resolve (s)", f"{resolve_s:.1f}", "-")]

    settings = Settings(store=path)
    t0 = time.perf_counter()
    first = run_scan(store, settings, on=AS_OF, out_dir=workdir / "scan1")
    first_s = time.perf_counter() - t0
    console.print(f"  first scan {first_s:.1f} s: {first['timings']}")
    t0 = time.perf_counter()
    second = run_scan(store, settings, on=AS_OF + timedelta(days=1), out_dir=workdir / "scan2")
    second_s = time.perf_counter() - t0
    console.print(f"  next day's scan {second_s:.1f} s: {second['timings']}")
    store.close()

    ro = EmbeddedStore(path, read_only=True)
    t0 = time.perf_counter()
    third = run_scan(ro, settings, on=AS_OF + timedelta(days=1), out_dir=workdir / "scan3", record=False)
    ro_s = time.perf_counter() - t0
    ro.close()
    console.print(f"  read-only scan {ro_s:.1f} s: {third['timings']}")

    found = first["counts"]["total_findings"]
    c2 = second["counts"]
    unchanged = sum(v["unchanged"] for v in c2["findings"].values())
    html_kb = Path(first["outputs"]["html"]).stat().st_size / 1024
    return figures + [
        ("scan, first (refresh flags, record) (s)", f"{first_s:.1f}", f"< {TARGET_S:.0f}"),
        ("scan, next day (compare, record) (s)", f"{second_s:.1f}", f"< {TARGET_S:.0f}"),
        ("scan, read-only snapshot (s)", f"{ro_s:.1f}", f"< {TARGET_S:.0f}"),
        ("reports in the 90-day window", f"{first['counts']['reports_in_window']:,}", "-"),
        ("findings (first scan) / alerts", f"{found:,} / {len(first['alerts']):,}", "-"),
        ("next day: unchanged findings / alerts", f"{unchanged:,} / {len(second['alerts']):,}", "-"),
        ("HTML report (KB)", f"{html_kb:,.0f}", "-"),
    ]
