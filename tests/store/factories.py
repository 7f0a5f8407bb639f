"""Small, real report bundles for store tests (built by hand, not through the ingesters,
so the store contract does not depend on ingest)."""

from __future__ import annotations

import json
from datetime import date, datetime

from linkage.model import Record, RecordLink, Report, ReportBundle, content_hash


def bundle(source_ref: str, *, narrative: str = "seen at the car wash", org: str = "SOCEX",
           people: tuple[str, ...] = ("p1",), phone: str | None = "+447700900123",
           reported: date = date(2026, 10, 1)) -> ReportBundle:
    payload = {"kind": "intel", "source_ref": source_ref, "narrative": narrative,
               "people": list(people), "phone": phone}
    rep = Report(
        report_key=Report.key_for("intel", org, source_ref), kind="intel", source_ref=source_ref,
        organisation=org, content_hash=content_hash(payload), reported_at=reported,
        received_at=datetime(2026, 10, 2, 9, 30), raw=json.dumps(payload), force="west-midlands",
        grading_source="2", grading_intel="B", handling="P", narrative=narrative,
    )
    rid = rep.report_id
    records = [Record(record_id=Record.id_for(rid, "person", p), report_id=rid, record_type="person",
                      role="suspect", ref=p, value=f"person {p}", display=f"Person {p}",
                      attrs={"tokens": ["person", p]}, keys=[f"nn:person|{p}"], reported_at=reported)
               for p in people]
    links = []
    if phone:
        ph = Record(record_id=Record.id_for(rid, "phone", phone), report_id=rid, record_type="phone",
                    role="contact", ref=phone, value=phone, display=phone, keys=[f"ph:{phone}"],
                    reported_at=reported)
        records.append(ph)
        links += [RecordLink(records[0].record_id, ph.record_id, "USES_PHONE", rid)]
    return ReportBundle(rep, records, links)
