"""The graph's nouns: reports, records, record-level links, entities, entity links, judgements.

Plain dataclasses: ingest builds them, the store persists them, resolution and analytics read them.
See "Records and entities" in ARCHITECTURE.md: nothing a source said is overwritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson


def stable_hash(*parts: str, length: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:length]


def content_hash(payload: Any, *, parsed_json: bool = False) -> str:
    """Hash of a report's payload, independent of key order and of when it was received.

    `parsed_json`: the payload is exactly what `json.loads` returned (only dicts, lists, str,
    int, float, bool, None), so orjson may serialise it: about ten times faster than `json`, and
    byte-for-byte the same text for such values except where `_orjson_differs` says otherwise,
    in which case the `json` text is used. The hash never depends on which path was taken.
    """
    body = {k: v for k, v in payload.items() if k not in ("received_at",)} if isinstance(payload, dict) else payload
    data = _orjson_text(body) if parsed_json else None
    if data is None:
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
        data = text.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# Where orjson's text for parsed JSON can differ from json.dumps(sort_keys, ensure_ascii=False,
# compact separators): NaN and +-Infinity (json writes NaN/Infinity, orjson null) and floats
# below 1e-4 (json writes 1e-05, orjson 0.00001 or 1e-7; orjson's exponent is always a lower
# case "e"). Seeing `null`, `0.0000` or a digit before "e-" anywhere (strings included) sends the
# payload down the json path: slower, never wrong. Plain `in`/`find` because a regex over the
# whole text costs more than orjson saves.
_DIGITS = frozenset(b"0123456789")


def _orjson_differs(data: bytes) -> bool:
    if b"null" in data or b"0.0000" in data:
        return True
    i = data.find(b"e-")
    while i > 0:
        if data[i - 1] in _DIGITS:
            return True
        i = data.find(b"e-", i + 2)
    return False


def _orjson_text(body: Any) -> bytes | None:
    try:
        # ints beyond 64 bits, lone surrogates and anything not plain JSON raise: json decides
        data = orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_SUBCLASS
                            | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
    except (TypeError, ValueError):
        return None
    return None if _orjson_differs(data) else data


@dataclass(slots=True)
class Report:
    """One source document. `report_key` identifies it across versions; `report_id` one version."""

    report_key: str
    kind: str
    source_ref: str
    organisation: str
    content_hash: str
    reported_at: date | None
    received_at: datetime
    raw: str  # the whole payload as received (JSON text), never trimmed
    version: int = 1
    force: str | None = None
    grading_source: str | None = None
    grading_intel: str | None = None
    handling: str | None = None
    conditions: str | None = None
    narrative: str | None = None
    urgency: str | None = None
    child_involved: bool = False
    exploitation_types: list[str] = field(default_factory=list)

    @property
    def report_id(self) -> str:
        return Report.id_for(self.kind, self.report_key, self.version)

    @staticmethod
    def id_for(kind: str, report_key: str, version: int) -> str:
        return f"{kind}-{report_key}-v{version}"

    @staticmethod
    def key_for(kind: str, organisation: str, source_ref: str) -> str:
        return stable_hash(kind, organisation.strip().lower(), source_ref.strip(), length=12)


@dataclass(slots=True)
class Record:
    """One mention of a person, place, business, phone, email, vehicle or account in one report.

    `value` is the canonical value (E.164 phone, VRM, canonical address line, folded name);
    `attrs` the normalised fields the resolver compares; `keys` the blocking keys.
    """

    record_id: str
    report_id: str
    record_type: str
    role: str
    ref: str
    value: str
    display: str
    attrs: dict[str, Any] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    force: str | None = None
    use: str | None = None
    venue_type: str | None = None
    lat: float | None = None
    lon: float | None = None
    reported_at: date | None = None

    @staticmethod
    def id_for(report_id: str, record_type: str, ref: str) -> str:
        return f"{report_id}/{record_type}/{ref}"


@dataclass(slots=True)
class RecordLink:
    """What a report said between two of its own records (victim EXPLOITED_AT address, ...)."""

    src: str
    dst: str
    link_type: str
    report_id: str
    evidence: str | None = None  # e.g. character offsets of a mention in the narrative


@dataclass(slots=True)
class ReportBundle:
    """A report with everything ingest derived from it; the unit written to the store."""

    report: Report
    records: list[Record]
    links: list[RecordLink]


@dataclass(slots=True)
class Entity:
    entity_id: str
    entity_type: str
    label: str
    value: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    record_count: int = 0
    report_count: int = 0
    first_seen: date | None = None
    last_seen: date | None = None


@dataclass(slots=True)
class Membership:
    """Why a record belongs to its entity."""

    record_id: str
    entity_id: str
    score: float
    rule: str


@dataclass(slots=True)
class EntityLink:
    src: str
    dst: str
    link_type: str
    count: int
    first_seen: date | None
    last_seen: date | None
    report_ids: list[str]
    best_grading: str | None = None  # e.g. "1A"; None when ungraded (NRM, DtN, referrals)
    handling: str | None = None  # "C" when any supporting report carries conditions
    conditions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Judgement:
    judgement_id: str
    record_a: str
    record_b: str
    decision: str  # Decision
    by: str
    reason: str
    at: datetime
    undone: bool = False
    undone_by: str | None = None
    undone_at: datetime | None = None


@dataclass(slots=True)
class WriteOutcome:
    """Per-report result of a write: accepted, unchanged or new_version."""

    source_ref: str
    kind: str
    status: str
    report_id: str
