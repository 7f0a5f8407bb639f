"""`linkage export resolution`: the record -> entity table other tools rely on (FORMATS.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from linkage.resolve.entities import ALL_TIME

COLUMNS = ["report_kind", "source_ref", "record_ref", "record_type", "entity_id"]


def resolution_rows(store) -> list[dict]:
    reports = {r["report_id"]: r for r in store.reports_between(*ALL_TIME)}
    members = store.memberships()
    rows = []
    for rec in store.records():
        rep = reports.get(rec["report_id"], {})
        ent = members.get(rec["record_id"])
        rows.append({"report_kind": rep.get("kind", ""), "source_ref": rep.get("source_ref", ""),
                     "record_ref": rec["ref"], "record_type": rec["record_type"],
                     "entity_id": ent[0] if ent else ""})
    rows.sort(key=lambda r: (r["report_kind"], r["source_ref"], r["record_type"], r["record_ref"]))
    return rows


def write_resolution_csv(store, out: Path) -> int:
    rows = resolution_rows(store)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return len(rows)
