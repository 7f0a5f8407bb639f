"""Embedded store: write 100,000 records in batches, read them back (records/s)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

from linkage.model import Record, RecordLink, Report, ReportBundle, content_hash
from linkage.store.embedded import EmbeddedStore

RECORDS = 100_000
PER_REPORT = 5
BATCH_REPORTS = 10_000


def _bundle(i: int) -> ReportBundle:
    payload = {"kind": "intel", "source_ref": f"B-{i}", "n": i}
    rep = Report(Report.key_for("intel", "bench", f"B-{i}"), "intel", f"B-{i}", "bench",
                 content_hash(payload), date(2026, 1, 1 + i % 28), datetime(2026, 2, 1),
                 json.dumps(payload))
    rid = rep.report_id
    recs = []
    for j in range(PER_REPORT - 1):
        recs.append(Record(Record.id_for(rid, "person", f"p{j}"), rid, "person", "suspect", f"p{j}",
                           f"person {i} {j}", f"Person {i} {j}", {"tokens": [str(i), str(j)]},
                           [f"nn:{i % 5000}|{j}"], reported_at=rep.reported_at))
    phone = f"+4477009{i % 100000:05d}"
    recs.append(Record(Record.id_for(rid, "phone", phone), rid, "phone", "contact", phone, phone,
                       phone, {}, [f"ph:{phone}"], reported_at=rep.reported_at))
    links = [RecordLink(recs[0].record_id, recs[-1].record_id, "USES_PHONE", rid)]
    return ReportBundle(rep, recs, links)


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    n_reports = RECORDS // PER_REPORT
    bundles = [_bundle(i) for i in range(n_reports)]
    store = EmbeddedStore(workdir / "graph")
    t0 = time.perf_counter()
    for k in range(0, n_reports, BATCH_REPORTS):
        store.write_reports(bundles[k:k + BATCH_REPORTS])
    write_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    back = store.records()
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = store.write_reports(bundles[:BATCH_REPORTS])
    rewrite_s = time.perf_counter() - t0
    assert len(back) == RECORDS and all(o.status == "unchanged" for o in again)
    store.close()
    return [
        ("records written/s (batches of %d reports)" % BATCH_REPORTS, f"{RECORDS / write_s:,.0f}", "-"),
        ("records read back/s", f"{RECORDS / read_s:,.0f}", "-"),
        ("re-sending a batch already held (s)", f"{rewrite_s:.2f}", "-"),
    ]
