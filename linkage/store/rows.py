"""Conversions between the model's dataclasses and the flat rows both adapters store."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from linkage.model import Entity, EntityLink, Judgement, Membership, Record, RecordLink, Report


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


def report_row(r: Report) -> dict:
    return {
        "report_id": r.report_id, "report_key": r.report_key, "kind": r.kind,
        "source_ref": r.source_ref, "organisation": r.organisation, "version": r.version,
        "content_hash": r.content_hash, "reported_at": r.reported_at,
        "received_at": utc_naive(r.received_at), "force": r.force,
        "grading_source": r.grading_source, "grading_intel": r.grading_intel,
        "handling": r.handling, "conditions": r.conditions, "narrative": r.narrative,
        "urgency": r.urgency, "child_involved": bool(r.child_involved),
        "exploitation_types": list(r.exploitation_types), "raw": r.raw,
    }


def record_row(r: Record) -> dict:
    return {
        "record_id": r.record_id, "report_id": r.report_id, "record_type": r.record_type,
        "role": r.role, "ref": r.ref, "value": r.value, "display": r.display,
        "attrs": json.dumps(r.attrs, ensure_ascii=False, separators=(",", ":"), default=str),
        "keys": list(r.keys), "force": r.force, "use": r.use, "venue_type": r.venue_type,
        "lat": r.lat, "lon": r.lon, "reported_at": r.reported_at,
    }


def link_row(l: RecordLink) -> dict:
    return {"src": l.src, "dst": l.dst, "link_type": l.link_type, "report_id": l.report_id,
            "evidence": l.evidence}


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
