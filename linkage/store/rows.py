"""Conversions between the model's dataclasses and the flat rows both adapters store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import Any

import orjson
import pyarrow as pa

from linkage.model import (
    Entity, EntityLink, Judgement, Membership, Record, RecordLink, Report, ReportBundle,
)
from linkage.store import schema as S


def utc_naive(ts: datetime | None) -> datetime | None:
    """Both stores get naive UTC: LadybugDB silently drops offsets (LADYBUG-NEO4J.md)."""
    if ts is None:
        return None
    if ts.tzinfo is not None:
        ts = ts.astimezone(timezone.utc).replace(tzinfo=None)
    return ts


def to_date(v: Any) -> date | None:
    if v is None or isinstance(v, date) and not isinstance(v, datetime):
        return v
    if isinstance(v, datetime):
        return v.date()
    if hasattr(v, "to_native"):  # neo4j.time.Date
        return v.to_native()
    return date.fromisoformat(str(v)[:10])


def to_datetime(v: Any) -> datetime | None:
    if v is None:
        return None
    if hasattr(v, "to_native"):
        v = v.to_native()
    if isinstance(v, datetime):
        return utc_naive(v)
    return utc_naive(datetime.fromisoformat(str(v)))


# -- reports as tuples in the store's column order ------------------------------------------
# write_reports turns each bundle into plain tuples once (in an ingest worker process when there
# is one): tuples of strings pickle and unpickle several times faster than dataclasses holding
# nested attrs dicts, and the store builds its Arrow columns straight from them.

REPORT_COLUMNS = tuple(c for c, _ in S.REPORT.columns)
RECORD_COLUMNS = tuple(c for c, _ in S.RECORD.columns)
LINK_COLUMNS = ("src", "dst", *(c for c, _ in S.LINK.columns))
MENTION_COLUMNS = ("src", "dst")
_RP = {c: i for i, c in enumerate(REPORT_COLUMNS)}
_RC = {c: i for i, c in enumerate(RECORD_COLUMNS)}
_LK = {c: i for i, c in enumerate(LINK_COLUMNS)}
REPORT_ID, REPORT_KEY, KIND, SOURCE_REF, ORGANISATION, VERSION, CONTENT_HASH, RAW = (
    _RP[c] for c in ("report_id", "report_key", "kind", "source_ref", "organisation", "version",
                     "content_hash", "raw"))
RECORD_ID, RECORD_REPORT_ID, RECORD_TYPE, RECORD_REF = (
    _RC[c] for c in ("record_id", "report_id", "record_type", "ref"))
LINK_SRC, LINK_DST, LINK_REPORT_ID = (_LK[c] for c in ("src", "dst", "report_id"))


@dataclass(slots=True)
class ReportRows:
    """One report ready for the store: its Report, Record and LINK rows as tuples in the
    columns' order (REPORT_COLUMNS, RECORD_COLUMNS, LINK_COLUMNS), record attrs as JSON text."""

    report: tuple
    records: list[tuple]
    links: list[tuple]


# orjson is ~10x faster than json here (the biggest cost of turning a bundle into rows). The
# options make it give what `json.dumps(..., ensure_ascii=False, separators=(",", ":"),
# default=str)` gives: dates, datetimes and dataclasses go through str() as they did; what orjson
# refuses (non-string keys, integers over 64 bits) goes to json. Readers decode attrs, so only the
# decoded value has to be the same (floats may be spelt differently: 1e16 vs 1e+16).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def attrs_json(attrs: dict) -> str:
    try:
        return orjson.dumps(attrs, default=str, option=_ORJSON_OPTIONS).decode("utf-8")
    except TypeError:
        return json.dumps(attrs, ensure_ascii=False, separators=(",", ":"), default=str)


def attrs_utf8(attrs: dict) -> bytes:
    """`attrs_json` as UTF-8 bytes (what orjson makes; Arrow takes them as they are)."""
    try:
        return orjson.dumps(attrs, default=str, option=_ORJSON_OPTIONS)
    except TypeError:
        return json.dumps(attrs, ensure_ascii=False, separators=(",", ":"),
                          default=str).encode("utf-8")


def report_values(r: Report) -> tuple:
    return (r.report_id, r.report_key, r.kind, r.source_ref, r.organisation, r.version,
            r.content_hash, r.reported_at, utc_naive(r.received_at), r.force, r.grading_source,
            r.grading_intel, r.handling, r.conditions, r.narrative, r.urgency,
            bool(r.child_involved), list(r.exploitation_types), r.raw)


def record_values(r: Record) -> tuple:
    return (r.record_id, r.report_id, r.record_type, r.role, r.ref, r.value, r.display,
            attrs_json(r.attrs), list(r.keys), r.force, r.use, r.venue_type, r.lat, r.lon,
            r.reported_at)


def link_values(l: RecordLink) -> tuple:
    return (l.src, l.dst, l.link_type, l.report_id, l.evidence)


def report_rows(b: ReportBundle) -> ReportRows:
    return ReportRows(report_values(b.report), [record_values(r) for r in b.records],
                      [link_values(l) for l in b.links])


# -- reports as Arrow tables -----------------------------------------------------------------
# An ingest worker process sends what it parsed as one ReportBatch per chunk of reports: Arrow
# tables pickle and unpickle as a few buffers (a tuple of strings per record costs the writing
# process more to unpickle than the store takes to write it), and the embedded store COPYs them
# as they are.

ARROW_TYPES = {
    "STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(), "BOOL": pa.bool_(),
    "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "STRING[]": pa.list_(pa.string()),
}
REPORT_SCHEMA = pa.schema([(c, ARROW_TYPES[t]) for c, t in S.REPORT.columns])
RECORD_SCHEMA = pa.schema([(c, ARROW_TYPES[t]) for c, t in S.RECORD.columns])
LINK_SCHEMA = pa.schema([("src", pa.string()), ("dst", pa.string()),
                         *((c, ARROW_TYPES[t]) for c, t in S.LINK.columns)])


def arrow_table(schema: pa.Schema, rows: Sequence[tuple]) -> pa.Table:
    """Rows given as tuples in the schema's column order -> a table (no dict per row)."""
    return pa.Table.from_arrays(
        [pa.array(list(map(itemgetter(i), rows)), f.type) for i, f in enumerate(schema)],
        schema=schema)


def object_table(schema: pa.Schema, items: Sequence, made: dict | None = None) -> pa.Table:
    """Objects whose attributes are named as the schema's columns (Record, RecordLink) -> a
    table, column by column; `made[column](items)` builds a column another way."""
    made = made or {}
    return pa.Table.from_arrays(
        [made[f.name](items) if f.name in made else pa.array(list(map(attrgetter(f.name), items)), f.type)
         for f in schema], schema=schema)


@dataclass(slots=True)
class ReportBatch:
    """Reports ready for the store as Arrow tables: one Report row each, their Record and LINK
    rows in the same order (each report's records, and links, next to each other), and how many
    records and links each report has. What `ReportRows` are, for many reports at once."""

    reports: pa.Table
    records: pa.Table
    links: pa.Table
    record_counts: list[int]
    link_counts: list[int]

    def __len__(self) -> int:
        return len(self.record_counts)

    @classmethod
    def from_rows(cls, rows: Sequence[ReportRows]) -> "ReportBatch":
        return cls(arrow_table(REPORT_SCHEMA, [r.report for r in rows]),
                   arrow_table(RECORD_SCHEMA, [x for r in rows for x in r.records]),
                   arrow_table(LINK_SCHEMA, [x for r in rows for x in r.links]),
                   [len(r.records) for r in rows], [len(r.links) for r in rows])

    @classmethod
    def from_bundles(cls, bundles: Sequence[ReportBundle]) -> "ReportBatch":
        """`from_rows([report_rows(b) for b in bundles])`, the same tables, built column by
        column from the records (no tuple per record, and the attrs JSON stays UTF-8 bytes:
        Arrow spends more on encoding a non-ASCII str than orjson does on the JSON)."""
        reports = [report_values(b.report) for b in bundles]
        records = object_table(RECORD_SCHEMA, [r for b in bundles for r in b.records], {
            "attrs": lambda recs: pa.array([attrs_utf8(r.attrs) for r in recs], pa.binary()).view(pa.string())})
        link_table = object_table(LINK_SCHEMA, [l for b in bundles for l in b.links])
        return cls(arrow_table(REPORT_SCHEMA, reports), records, link_table,
                   [len(b.records) for b in bundles], [len(b.links) for b in bundles])

    @classmethod
    def concat(cls, batches: Sequence["ReportBatch"]) -> "ReportBatch":
        if len(batches) == 1:
            return batches[0]
        return cls(pa.concat_tables([b.reports for b in batches]),
                   pa.concat_tables([b.records for b in batches]),
                   pa.concat_tables([b.links for b in batches]),
                   [n for b in batches for n in b.record_counts],
                   [n for b in batches for n in b.link_counts])

    def slice(self, start: int, end: int) -> "ReportBatch":
        """Reports [start, end) (no copy)."""
        if start == 0 and end >= len(self):
            return self
        r0 = sum(self.record_counts[:start])
        l0 = sum(self.link_counts[:start])
        rc, lc = self.record_counts[start:end], self.link_counts[start:end]
        return ReportBatch(self.reports.slice(start, end - start),
                           self.records.slice(r0, sum(rc)), self.links.slice(l0, sum(lc)),
                           rc, lc)

    def take(self, indices: Sequence[int]) -> "ReportBatch":
        """The reports at these positions, in this order."""
        indices = list(indices)
        if indices == list(range(len(self))):
            return self
        return ReportBatch(self.reports.take(pa.array(indices, pa.int64())),
                           self.records.take(_positions(self.record_counts, indices)),
                           self.links.take(_positions(self.link_counts, indices)),
                           [self.record_counts[i] for i in indices],
                           [self.link_counts[i] for i in indices])

    def record_column(self, name: str, indices: Sequence[int]) -> pa.Array:
        """One column of the records of the reports at these positions (nothing else copied)."""
        return self.records.column(name).take(_positions(self.record_counts, indices))

    def copy_tables(self) -> list[tuple[str, pa.Table]]:
        """(table, rows) in the order a write COPYs them; MENTIONS is two Record columns."""
        return [("Report", self.reports), ("Record", self.records),
                ("MENTIONS", self.records.select(["report_id", "record_id"])),
                ("LINK", self.links)]

    def report_column(self, name: str) -> list:
        return self.reports.column(name).to_pylist()

    def rows(self) -> list[ReportRows]:
        """Back to one ReportRows per report (Python values, as `report_rows` gives them)."""
        reports = [tuple(r.values()) for r in self.reports.to_pylist()]
        records = [tuple(r.values()) for r in self.records.to_pylist()]
        links = [tuple(r.values()) for r in self.links.to_pylist()]
        out = []
        r0 = l0 = 0
        for rep, nr, nl in zip(reports, self.record_counts, self.link_counts):
            out.append(ReportRows(rep, records[r0:r0 + nr], links[l0:l0 + nl]))
            r0 += nr
            l0 += nl
        return out


def _positions(counts: Sequence[int], indices: Sequence[int]) -> pa.Array:
    """Row positions of the reports at `indices`, given each report's row count in order."""
    starts = [0, *accumulate(counts)]
    return pa.array([j for i in indices for j in range(starts[i], starts[i + 1])], pa.int64())


def report_row(r: Report) -> dict:
    return dict(zip(REPORT_COLUMNS, report_values(r)))


def record_row(r: Record) -> dict:
    return dict(zip(RECORD_COLUMNS, record_values(r)))


def link_row(l: RecordLink) -> dict:
    return dict(zip(LINK_COLUMNS, link_values(l)))


def reversioned(rows: ReportRows, version: int) -> ReportRows:
    """The same report as another version: the report id, and with it every record id, changes."""
    rep = list(rows.report)
    old = rep[REPORT_ID]
    rep[VERSION] = version
    rid = rep[REPORT_ID] = Report.id_for(rep[KIND], rep[REPORT_KEY], version)
    ids = {}
    records = []
    for r in rows.records:
        new_id = Record.id_for(rid, r[RECORD_TYPE], r[RECORD_REF])
        ids[r[RECORD_ID]] = new_id
        r = list(r)
        r[RECORD_ID], r[RECORD_REPORT_ID] = new_id, rid
        records.append(tuple(r))
    links = []
    for l in rows.links:
        l = list(l)
        l[LINK_SRC] = ids.get(l[LINK_SRC], l[LINK_SRC])
        l[LINK_DST] = ids.get(l[LINK_DST], l[LINK_DST])
        if l[LINK_REPORT_ID] == old:
            l[LINK_REPORT_ID] = rid
        links.append(tuple(l))
    return ReportRows(tuple(rep), records, links)


def entity_row(e: Entity) -> dict:
    return {
        "entity_id": e.entity_id, "entity_type": e.entity_type, "label": e.label,
        "value": e.value,
        "attrs": json.dumps(e.attrs, ensure_ascii=False, separators=(",", ":"), default=str),
        "keys": list(e.keys), "forces": list(e.forces), "roles": list(e.roles),
        "flags": list(e.flags), "record_count": e.record_count, "report_count": e.report_count,
        "first_seen": e.first_seen, "last_seen": e.last_seen,
    }


def membership_row(m: Membership) -> dict:
    return {"record_id": m.record_id, "entity_id": m.entity_id, "score": float(m.score),
            "rule": m.rule}


def entity_link_row(l: EntityLink) -> dict:
    return {
        "src": l.src, "dst": l.dst, "link_type": l.link_type, "count": l.count,
        "first_seen": l.first_seen, "last_seen": l.last_seen, "report_ids": list(l.report_ids),
        "best_grading": l.best_grading, "handling": l.handling,
        "conditions": list(l.conditions),
    }


def judgement_row(j: Judgement) -> dict:
    return {
        "judgement_id": j.judgement_id, "record_a": j.record_a, "record_b": j.record_b,
        "decision": j.decision, "by": j.by, "reason": j.reason, "at": utc_naive(j.at),
        "undone": bool(j.undone), "undone_by": j.undone_by, "undone_at": utc_naive(j.undone_at),
    }


def judgement_from(row: dict) -> Judgement:
    return Judgement(
        judgement_id=row["judgement_id"], record_a=row["record_a"], record_b=row["record_b"],
        decision=row["decision"], by=row["by"], reason=row.get("reason") or "",
        at=to_datetime(row["at"]), undone=bool(row.get("undone")),
        undone_by=row.get("undone_by"), undone_at=to_datetime(row.get("undone_at")),
    )


_INTERNAL = {"_ID", "_LABEL", "_SRC", "_DST"}


def clean_node(props: dict) -> dict:
    """A stored node as a plain dict: dialect internals dropped, JSON attrs decoded."""
    out = {k: v for k, v in props.items() if k not in _INTERNAL}
    for k in ("reported_at", "first_seen", "last_seen"):
        if k in out:
            out[k] = to_date(out[k])
    for k in ("received_at", "at", "undone_at", "updated_at"):
        if k in out:
            out[k] = to_datetime(out[k])
    if isinstance(out.get("attrs"), str):
        out["attrs"] = json.loads(out["attrs"]) if out["attrs"] else {}
    for k in ("keys", "forces", "roles", "flags", "exploitation_types", "report_ids", "conditions", "hashes"):
        if k in out and out[k] is None:
            out[k] = []
    return out


def clean_link(row: dict) -> dict:
    out = dict(row)
    for k in ("first_seen", "last_seen"):
        out[k] = to_date(out.get(k))
    out["report_ids"] = list(out.get("report_ids") or [])
    out["conditions"] = list(out.get("conditions") or [])
    return out
