"""Ingest end to end: 100,000 generated reports, read from files -> parse -> normalise -> store.

Figures: generation time (separate), end-to-end reports/s and records/s, and a breakdown on a
sample (parsing alone in one process; writing alone) so it is clear which stage limits the
whole. Target: >= 5,000 reports/s end to end on the 2-core reference machine.
"""

from __future__ import annotations

import gc
import os
import resource
import time
from datetime import date, datetime, timezone
from pathlib import Path

REPORTS = int(os.environ.get("BENCH_INGEST_REPORTS", "100000"))
SAMPLE = 20_000
BATCH = 10_000
TARGET = 5_000


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    from linkage.generate import generate_world, write_world
    from linkage.store.embedded import EmbeddedStore

    from ingest.geo import ForceLookup
    from ingest.reader import read_paths
    from ingest.run import default_workers, ingest_files, parse_item

    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    world = generate_world(REPORTS, seed=7, as_of=date(2026, 3, 31))
    data = workdir / "data"
    data.mkdir()
    write_world(world, data)
    gen_s = time.perf_counter() - t0
    files = sorted(p for p in data.iterdir() if p.suffix == ".jsonl")
    n_reports = len(world.reports)
    del world
    gc.collect()
    console.print(f"  generated {n_reports:,} reports in {gen_s:.1f} s into {len(files)} files")

    lookup = ForceLookup.shipped()
    workers = default_workers(n_reports)
    store = EmbeddedStore(workdir / "graph")
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    res = ingest_files(store, files, lookup=lookup, batch_size=BATCH, workers=workers)
    e2e_s = time.perf_counter() - t0
    cpu_s = _cpu_seconds() - cpu0
    records = sum(res.records.values())
    st = res.statuses
    console.print(f"  end to end: {n_reports:,} reports, {records:,} records in {e2e_s:.1f} s "
                  f"({workers} parsing processes); {st['rejected']:,} rejected")
    if res.rejected:
        console.print(f"  first reject: {res.rejected[0].location} {res.rejected[0].field}: "
                      f"{res.rejected[0].reason}")

    load_during = os.getloadavg()[0]
    t0 = time.perf_counter()
    lost = check_primary_keys(store)
    console.print(f"  primary-key check ({time.perf_counter() - t0:.1f} s): " + "; ".join(
        f"{label} {scanned:,} scanned, {scanned - missing:,} found by key"
        for label, (scanned, missing, _) in lost.items()))
    if any(missing for _, missing, _ in lost.values()):
        store.close()
        raise AssertionError("the store lost primary keys: " + "; ".join(
            f"{label}: {missing:,} of {scanned:,} not found by key, e.g. {examples}"
            for label, (scanned, missing, examples) in lost.items() if missing))
    t0 = time.perf_counter()
    again = ingest_files(store, files[:1], lookup=lookup, batch_size=BATCH, workers=0)
    again_s = time.perf_counter() - t0
    again_n = len(again.results)
    unchanged_ok = again.statuses["unchanged"] == again_n - again.statuses["rejected"]
    store.close()

    # Breakdown on a sample: parsing alone (one process, warm caches excluded: fresh process
    # state is not possible here, so the sample is the first SAMPLE lines read anew).
    from ingest import build as B

    for fn in (B.name_entry, B.dob_entry, B.phone_entry, B.address_entry, B.business_entry,
               B.vrm_entry, B.account_entry, B.email_entry):
        fn.cache_clear()
    items = []
    for it in read_paths(files):
        items.append(it)
        if len(items) >= SAMPLE:
            break
    now = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    parsed = [parse_item(it, kind="auto", received_at=now, lookup=lookup) for it in items]
    parse_s = time.perf_counter() - t0
    bundles = [p.bundle for p in parsed if p.bundle is not None]
    sample_records = sum(len(b.records) for b in bundles)
    store2 = EmbeddedStore(workdir / "graph2")
    t0 = time.perf_counter()
    for k in range(0, len(bundles), BATCH):
        store2.write_reports(bundles[k:k + BATCH])
    write_s = time.perf_counter() - t0
    store2.close()

    rate = n_reports / e2e_s
    return [
        (f"generate {n_reports:,} reports and write files (s)", f"{gen_s:.1f}", "-"),
        ("end to end reports/s (files -> store)", f"{rate:,.0f}", f">= {TARGET:,}"),
        ("end to end records/s", f"{records / e2e_s:,.0f}", "-"),
        ("end to end total (s)", f"{e2e_s:.1f}", "-"),
        ("  of which the writer thread was inside store.write_report_batch (s)",
         f"{res.store_seconds:.1f}", "-"),
        ("CPU seconds per 1,000 reports, end to end, all processes (less noisy than wall time "
         "on a shared machine)", f"{cpu_s * 1000 / max(n_reports, 1):.2f}", "-"),
        ("every Record / Report / ReportKey of a scan found by its primary key",
         " / ".join(f"{scanned - missing:,} of {scanned:,}" for scanned, missing, _ in lost.values()),
         "all"),
        ("parsing processes used", str(workers), "-"),
        ("records per report", f"{records / max(n_reports, 1):.1f}", "-"),
        ("rejected (generated data should have none)", f"{st['rejected']:,}", "0"),
        (f"parse + normalise only, 1 process, {len(items):,} reports (reports/s)",
         f"{len(items) / parse_s:,.0f}", "-"),
        (f"store write only, {len(bundles):,} reports (reports/s)", f"{len(bundles) / write_s:,.0f}", "-"),
        (f"store write only (records/s)", f"{sample_records / write_s:,.0f}", "-"),
        (f"re-ingest one file of {again_n:,}: all unchanged", f"{'yes' if unchanged_ok else 'NO'} "
         f"({again_s:.1f} s)", "yes"),
        ("machine load average before / after the end-to-end run (2 cores)",
         f"{load_before:.1f} / {load_during:.1f}", "-"),
    ]


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the parsing processes)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def check_primary_keys(store) -> dict[str, tuple[int, int, list[str]]]:
    """Every id a full scan returns, looked up by primary key (LadybugDB 0.22 can lose keys:
    benchmarks/ladybug_pk_loss.py). {label: (scanned, not found by key, a few of those)}."""
    out = {}
    for label, key in (("Record", "record_id"), ("Report", "report_id"), ("ReportKey", "report_key")):
        ids = [r["id"] for r in store._query(f"MATCH (n:{label}) RETURN n.{key} AS id")]
        lost: list[str] = []
        for i in range(0, len(ids), 20_000):
            part = ids[i:i + 20_000]
            found = {r["id"] for r in store._query(
                f"UNWIND $ids AS id MATCH (n:{label} {{{key}: id}}) RETURN n.{key} AS id",
                {"ids": part})}
            lost += [x for x in part if x not in found]
        out[label] = (len(ids), len(lost), lost[:3])
    return out
