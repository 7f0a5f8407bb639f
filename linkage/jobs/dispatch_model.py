"""Dispatches as data: their statuses, the transitions between them, deadlines and timings.

A dispatch is one referral sent to one force. It is a JSON document in the store's "dispatches"
collection; this module is the pure part (no store, no network, no clock of its own):

    pending --deliver--> sent --ack--> acknowledged
       |  ^                |
       |  +----resend------+--reject--> rejected (back to the hub's triage queue)
       +--deliver fails--> failed --retry--> sent
    (pending / failed) --a new version of the report is routed--> superseded

Every change of status is appended to `history` with who and when (and why); delivery attempts
that do not change the status are counted on the dispatch's `delivery` and kept in the audit log.
"""

from __future__ import annotations

import statistics
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from linkage.errors import UserError
from linkage.model import stable_hash

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
ACKNOWLEDGED = "acknowledged"
REJECTED = "rejected"
SUPERSEDED = "superseded"

STATUSES = (PENDING, SENT, FAILED, ACKNOWLEDGED, REJECTED, SUPERSEDED)
# Waiting for the force: these can become overdue.
AWAITING = frozenset({PENDING, SENT, FAILED})
# Dispatches that still stand (a force holds or will hold the referral).
STANDING = frozenset({PENDING, SENT, FAILED, ACKNOWLEDGED})

# status -> statuses it may move to, and the action that does it (for error messages)
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({SENT, FAILED, ACKNOWLEDGED, REJECTED, SUPERSEDED}),
    FAILED: frozenset({SENT, PENDING, ACKNOWLEDGED, REJECTED, SUPERSEDED}),
    SENT: frozenset({ACKNOWLEDGED, REJECTED, PENDING}),
    REJECTED: frozenset({PENDING}),
    ACKNOWLEDGED: frozenset(),
    SUPERSEDED: frozenset(),
}

IMMEDIATE = "immediate"
ROUTINE = "routine"
PRIORITIES = (IMMEDIATE, ROUTINE)

SYSTEM_ACTOR = "linkage-delivery"

# Stages reported per force: (name, from timing, to timing)
STAGES = (
    ("received_to_assessed", "received_at", "assessed_at"),
    ("assessed_to_sent", "assessed_at", "sent_at"),
    ("sent_to_acknowledged", "sent_at", "acknowledged_at"),
    ("received_to_acknowledged", "received_at", "acknowledged_at"),
)

# One writer of dispatch documents at a time in this process (CLI, API threads, delivery).
LOCK = threading.RLock()


@dataclass(frozen=True)
class Deadlines:
    """How long a force has to acknowledge a dispatch, from when the hub assessed it."""

    immediate_hours: float = 24.0
    routine_hours: float = 168.0

    def hours(self, priority: str) -> float:
        return self.immediate_hours if priority == IMMEDIATE else self.routine_hours

    def due(self, priority: str, assessed_at: datetime) -> datetime:
        return assessed_at + timedelta(hours=self.hours(priority))


# -- time ------------------------------------------------------------------------------------

def utc(ts: datetime | None) -> datetime | None:
    """Aware UTC; naive datetimes (the store's) are taken to be UTC already."""
    if ts is None:
        return None
    return ts.replace(tzinfo=timezone.utc) if ts.tzinfo is None else ts.astimezone(timezone.utc)


def now_utc(now: datetime | None = None) -> datetime:
    return utc(now) if now is not None else datetime.now(timezone.utc)


def iso(ts: datetime | None) -> str | None:
    return None if ts is None else utc(ts).isoformat(timespec="seconds")


def parse_ts(text: str | datetime | None) -> datetime | None:
    if text is None or text == "":
        return None
    if isinstance(text, datetime):
        return utc(text)
    return utc(datetime.fromisoformat(str(text)))


def hours_between(a: str | None, b: str | None) -> float | None:
    ta, tb = parse_ts(a), parse_ts(b)
    if ta is None or tb is None:
        return None
    return round((tb - ta).total_seconds() / 3600.0, 3)


# -- ids -------------------------------------------------------------------------------------

def dispatch_id_for(report_id: str, force: str) -> str:
    return f"d-{stable_hash('dispatch', report_id, force, length=12)}"


def idempotency_key(dispatch_id: str, round_: int) -> str:
    """One key per delivery round: retries reuse it; `resend` starts a new round (a new key)."""
    return f"{dispatch_id}.{round_}"


def triage_id_for(report_id: str, *, dispatch_id: str | None = None) -> str:
    return f"t-{stable_hash('triage', report_id, dispatch_id or '', length=12)}"


# -- transitions ---------------------------------------------------------------------------

_VERBS = {ACKNOWLEDGED: "acknowledge", REJECTED: "reject", PENDING: "resend", SENT: "mark sent",
          FAILED: "mark failed", SUPERSEDED: "supersede"}


def check_transition(doc: dict, status: str) -> None:
    current = doc["status"]
    if status not in TRANSITIONS.get(current, frozenset()):
        verb = _VERBS.get(status, status)
        raise UserError(f"cannot {verb} dispatch {doc['dispatch_id']}: it is {current}",
                        details={"dispatch_id": doc["dispatch_id"], "status": current,
                                 "wanted": status}, code="invalid_transition")


def transition(doc: dict, status: str, *, by: str, at: datetime, reason: str | None = None) -> dict:
    """The dispatch moved to `status`, recorded in its history; raises UserError if not allowed."""
    check_transition(doc, status)
    out = dict(doc)
    out["history"] = list(doc.get("history") or []) + [
        {"status": status, "by": by, "at": iso(at), "reason": reason}]
    out["status"] = status
    out["updated_at"] = iso(at)
    stamp = {SENT: "sent_at", ACKNOWLEDGED: "acknowledged_at", REJECTED: "rejected_at"}.get(status)
    if stamp and not out.get(stamp):
        out[stamp] = iso(at)
    return out


# -- views ---------------------------------------------------------------------------------

def is_overdue(doc: dict, now: datetime) -> bool:
    deadline = parse_ts(doc.get("deadline"))
    return doc["status"] in AWAITING and deadline is not None and now_utc(now) > deadline


def timings(doc: dict) -> dict:
    """received -> assessed -> sent -> acknowledged, each a timestamp, and the hours between."""
    t = {"received_at": doc.get("received_at"), "assessed_at": doc.get("created_at"),
         "sent_at": doc.get("sent_at"), "acknowledged_at": doc.get("acknowledged_at")}
    hours = {name: hours_between(t[a], t[b]) for name, a, b in STAGES}
    ack = parse_ts(t["acknowledged_at"])
    deadline = parse_ts(doc.get("deadline"))
    late = bool(ack and deadline and ack > deadline)
    return {**t, "hours": hours, "acknowledged_late": late}


def public_view(doc: dict, now: datetime) -> dict:
    """What callers see: the stored document plus `overdue` and `timings` as of `now`."""
    out = dict(doc)
    out["overdue"] = is_overdue(doc, now)
    out["timings"] = timings(doc)
    out.setdefault("report_ids", [doc.get("report_id")])
    return out


def matches(doc: dict, *, force: str | None, statuses: set[str] | None) -> bool:
    if force is not None and doc.get("force") != force:
        return False
    return statuses is None or doc.get("status") in statuses


def as_statuses(status: str | Iterable[str] | None) -> set[str] | None:
    if status is None:
        return None
    wanted = {status} if isinstance(status, str) else set(status)
    if not wanted:
        return None
    unknown = wanted - set(STATUSES)
    if unknown:
        raise UserError(f"unknown dispatch status {', '.join(sorted(unknown))}: use one of "
                        f"{', '.join(STATUSES)}")
    return wanted


def stats(docs: Iterable[dict], now: datetime) -> dict:
    """Per force: counts by status, overdue count, and median/max hours for each stage."""
    counts: dict[str, Counter] = defaultdict(Counter)
    overdue: Counter = Counter()
    samples: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    totals: Counter = Counter()
    for d in docs:
        f = d.get("force") or "?"
        counts[f][d["status"]] += 1
        totals[d["status"]] += 1
        if is_overdue(d, now):
            overdue[f] += 1
        for name, hours in timings(d)["hours"].items():
            if hours is not None:
                samples[f][name].append(hours)
    forces = {}
    for f in sorted(counts):
        stages = {}
        for name, _a, _b in STAGES:
            xs = samples[f].get(name) or []
            stages[name] = {"n": len(xs),
                            "median_hours": round(statistics.median(xs), 2) if xs else None,
                            "max_hours": round(max(xs), 2) if xs else None}
        forces[f] = {"dispatches": sum(counts[f].values()),
                     "by_status": {s: counts[f].get(s, 0) for s in STATUSES},
                     "overdue": overdue.get(f, 0), "stages": stages}
    return {"as_of": iso(now), "dispatches": sum(totals.values()),
            "by_status": {s: totals.get(s, 0) for s in STATUSES},
            "overdue": sum(overdue.values()), "forces": forces}
