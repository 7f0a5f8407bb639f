"""The daily scan: repeat locations, people, phones, vehicles and accounts, what is new since the
last scan, and alerts (HMICFRS good practice: "a daily scan of intelligence ... to identify
repeat locations or offenders"). docs/SCAN.md is the user's description; this is the how.

One run (`run_scan`), for a date D:
1. The window is the `window_days` days ending on D (both ends included); the reports in it are
   read, and of a report with several versions only its latest version in the window counts.
2. Reports are grouped into submission chains (`submission_chains`): versions of one report,
   follow-ups whose source reference extends another's from the same organisation
   (`INT/2025/0142` -> `INT/2025/0142/2`), and reports whose narrative cites another report's
   source reference. A chain counts once: "N reports" always means N distinct chains.
3. Every record of those reports is mapped to its entity (the resolution) and counted toward a
   finding type when it qualifies (`FINDING_TYPES`): a location when it is named as a place of
   exploitation, work or residence (record role, or a person's EXPLOITED_AT / WORKS_AT /
   LIVES_AT link to it) and its stated use is not a benign one; a person in any role but
   referrer or witness; a phone, vehicle or account in any role.
4. An entity named in at least `min_reports` chains is a finding, unless it is a benign hub (most
   of the records that state a use for it state a benign use) or a known hub (`linkage hubs`):
   those are listed as `excluded`, with the reason, never as findings.
5. Each finding is compared with the latest recorded scan of an EARLIER date: `new` (not
   flagged then), `escalating` (in more chains than then) or `unchanged`.
6. Alerts, about the entities named in the window: flags gained since that scan (section 45
   overlap, relocation; the flags are the stored ones, which every resolution refreshes), a child
   victim newly linked to a known venue, new intelligence on a person under an order; networks
   that newly cross a force boundary; overdue dispatches from the SOCEX routing job.
7. Every finding and alert gets a score and a priority (1 = read first), see `score_of`.
8. The run is written to `out_dir` (JSON, a CSV per finding type, an HTML report) and, when
   `record`, stored in the graph store: a header in the "scans" collection (one per date: a
   second run for a date replaces the first) and the whole result in "scan_result:<key>".

Everything between the reads and the writes is pure; the reads are port intents only, so the
embedded store and Neo4j answer alike. No printing (the CLI and the API render the result).
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from typing import Any

from linkage.gcpause import gc_paused
from linkage.errors import UserError
from linkage.model import BENIGN_USES, LinkType, Role, force_code, grading_rank

log = logging.getLogger(__name__)

SCANS = "scans"  # doc collection: one header per scanned date (and force filter)
RESULT_PREFIX = "scan_result:"  # doc collection per scan key: the whole result, doc "result"
RESULT_DOC = "result"

BENIGN = frozenset(u.value for u in BENIGN_USES)
PLACE_ROLES = frozenset({Role.EXPLOITATION.value, Role.WORKPLACE.value, Role.RESIDENCE.value})
PLACE_LINKS = frozenset({LinkType.EXPLOITED_AT.value, LinkType.WORKS_AT.value, LinkType.LIVES_AT.value})
OFFENDER_ROLES = frozenset({Role.SUSPECT.value, Role.EXPLOITER.value})

MAX_WINDOW_DAYS = 3660


@dataclass(frozen=True)
class FindingType:
    """One kind of repeat finding: which records count toward it."""

    name: str  # key in result["findings"], CSV file name
    record_type: str
    title: str
    excluded_roles: frozenset[str] = frozenset()
    places_only: bool = False  # locations: only places of exploitation, work or residence


FINDING_TYPES: tuple[FindingType, ...] = (
    FindingType("locations", "location", "Repeat locations", places_only=True),
    FindingType("people", "person", "Repeat people",
                excluded_roles=frozenset({Role.REFERRER.value, Role.WITNESS.value})),
    FindingType("phones", "phone", "Repeat phones"),
    FindingType("vehicles", "vehicle", "Repeat vehicles"),
    FindingType("accounts", "account", "Repeat accounts"),
)
TYPE_BY_RECORD = {t.record_type: t for t in FINDING_TYPES}
TYPE_NAMES = tuple(t.name for t in FINDING_TYPES)

STATUSES = ("new", "escalating", "unchanged")
TIER = {"alert": 3, "escalating": 2, "new": 1, "unchanged": 0}


@dataclass(frozen=True)
class AlertKind:
    kind: str
    weight: int  # order among alerts: higher first
    title: str


# Entity flags (linkage.analytics.flags) that raise an alert when an entity gains them.
# `under_order` is different: the order itself is not news, new intelligence about the person is.
FLAG_ALERTS: dict[str, AlertKind] = {
    "section45": AlertKind("section45", 8, "Victim also named as a suspect (section 45 defence)"),
    "relocated": AlertKind("relocated", 4, "Victim relocated into another force area"),
}
CHILD_AT_VENUE = AlertKind("child_at_venue", 9, "Child victim linked to a known venue")
UNDER_ORDER = AlertKind("under_order", 7, "New intelligence on a person under a slavery and "
                        "trafficking order")
CROSS_BORDER = AlertKind("cross_border_network", 6, "Network newly crosses a force boundary")
OVERDUE = AlertKind("overdue_dispatch", 5, "Dispatch overdue: not acknowledged by the force")
ALERT_KINDS = {a.kind: a for a in (CHILD_AT_VENUE, *FLAG_ALERTS.values(), UNDER_ORDER,
                                                CROSS_BORDER, OVERDUE)}
CHILD_FLAG = "child"
# A "known venue": a venue (analytics `is_venue`) named in at least this many reports.
KNOWN_VENUE_REPORTS = 2
MAX_ALERT_EVIDENCE = 25
# Links that only say two things were named in one submission, without a stated relation.
LOOSE_LINKS = frozenset({LinkType.MENTIONED_WITH.value})


# -- the window and the reports in it ---------------------------------------------------------

def window(on: date, window_days: int) -> tuple[date, date]:
    """The `window_days` days ending on `on`, both ends included."""
    return on - timedelta(days=window_days - 1), on


def latest_versions(reports: Iterable[dict]) -> dict[str, dict]:
    """report_id -> report, keeping only the latest version of each report key."""
    best: dict[str, dict] = {}
    for r in reports:
        cur = best.get(r["report_key"])
        if cur is None or (r.get("version") or 1) > (cur.get("version") or 1):
            best[r["report_key"]] = r
    return {r["report_id"]: r for r in best.values()}


_REF_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9/_.\-]*[A-Za-z0-9])?")
_REF_SEPARATORS = "/-_. #:"
MIN_CITED_REF = 5  # shorter references (or ones without a digit) are too easily found by chance


def _ref_norm(ref: str | None) -> str:
    return (ref or "").strip().upper()


def _citable(ref: str) -> bool:
    return len(ref) >= MIN_CITED_REF and any(c.isdigit() for c in ref)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent.get(p, p):
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def submission_chains(reports: dict[str, dict]) -> dict[str, str]:
    """report_id -> chain id (the report id of the chain's earliest report).

    Two reports of the window are one chain when (transitively):
    - they are versions of one report (same report key; `latest_versions` already keeps one);
    - they come from the same organisation and one's source reference is the other's followed
      by a separator and more (`INT/2025/0142` and `INT/2025/0142/2` or `INT/2025/0142-UPDATE`);
    - one's narrative cites the other's source reference as a whole word (a follow-up "further
      to NRM-2025-0042", or a write-up of a partner's referral), whoever sent it. Only
      references of at least 5 characters with a digit are looked for.
    """
    uf = _Union()
    by_org_ref: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_ref: dict[str, list[str]] = defaultdict(list)
    by_key: dict[str, list[str]] = defaultdict(list)
    for rid, r in reports.items():
        uf.find(rid)
        ref = _ref_norm(r.get("source_ref"))
        org = (r.get("organisation") or "").strip().lower()
        by_org_ref[(org, ref)].append(rid)
        by_key[r.get("report_key") or rid].append(rid)
        if _citable(ref):
            by_ref[ref].append(rid)
    for group in (*by_key.values(), *by_org_ref.values()):
        for other in group[1:]:
            uf.union(group[0], other)
    for (org, ref), rids in by_org_ref.items():
        for i, c in enumerate(ref):
            if i and c in _REF_SEPARATORS:
                root = ref[:i].rstrip(_REF_SEPARATORS)
                hit = by_org_ref.get((org, root))
                if hit:
                    uf.union(hit[0], rids[0])
    for rid, r in reports.items():
        text = r.get("narrative")
        if not text or not by_ref:
            continue
        own = _ref_norm(r.get("source_ref"))
        for m in _REF_TOKEN.finditer(text):
            tok = m.group(0).upper()
            if tok != own and tok in by_ref:
                for other in by_ref[tok]:
                    uf.union(rid, other)
    members: dict[str, list[str]] = defaultdict(list)
    for rid in reports:
        members[uf.find(rid)].append(rid)
    out: dict[str, str] = {}
    for group in members.values():
        first = min(group, key=lambda x: (reports[x].get("reported_at") or date.max, x))
        for rid in group:
            out[rid] = first
    return out


# -- what the records say ------------------------------------------------------------------------

def split_record_id(record_id: str) -> tuple[str, str]:
    """(report_id, record_type) of a record id `<report_id>/<type>/<ref>`."""
    rid, _, rest = record_id.partition("/")
    return rid, rest.partition("/")[0]


DETAILED_TYPES = ("location", "person")  # the record types whose role, use and place count


def window_records(rows: Iterable[dict], reports: dict[str, dict]) -> tuple[dict[str, str], dict[str, dict]]:
    """(record_id -> entity_id, record_id -> record) for the resolved records of `reports` (the
    window's latest versions), from `mentions_between` rows; records are kept (role, use, force,
    attrs decoded) for locations and people only, as only their roles, uses and places count."""
    entity_of: dict[str, str] = {}
    records: dict[str, dict] = {}
    for r in rows:
        eid = r["entity_id"]
        if eid is None or r["report_id"] not in reports:
            continue
        rec_id = r["record_id"]
        entity_of[rec_id] = eid
        if r["record_type"] in DETAILED_TYPES:
            attrs = r.get("attrs")
            records[rec_id] = {**r, "attrs": json.loads(attrs) if attrs else {}}
    return entity_of, records


@dataclass
class Tally:
    """What the window's reports say about one entity."""

    entity_id: str
    record_type: str
    chains: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # chain -> report ids
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # report id -> roles
    record_forces: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    benign_chains: set[str] = field(default_factory=set)  # chains naming it only with a benign use


def tally(reports: dict[str, dict], chain_of: dict[str, str],
          entity_of: dict[str, str], records: dict[str, dict], place_linked: set[str]) -> dict[str, Tally]:
    """entity_id -> Tally over the window's reports (latest versions only).

    `entity_of`: record_id -> entity_id (the resolution); `records`: the window's location and person
    records by id (roles, uses, forces, postcodes); `place_linked`: location record ids a person
    is EXPLOITED_AT / WORKS_AT / LIVES_AT in the same report.
    """
    out: dict[str, Tally] = {}
    for record_id, entity_id in entity_of.items():
        rid, rtype = split_record_id(record_id)
        if rid not in reports:
            continue
        ftype = TYPE_BY_RECORD.get(rtype)
        if ftype is None:
            continue
        rec = records.get(record_id)
        role = (rec or {}).get("role") or ""
        if ftype.places_only or ftype.excluded_roles:
            if rec is None:
                continue  # the record changed under a concurrent write: the next scan sees it
            if role in ftype.excluded_roles:
                continue
            if ftype.places_only and role not in PLACE_ROLES and record_id not in place_linked:
                continue
        t = out.get(entity_id)
        if t is None:
            t = out[entity_id] = Tally(entity_id, rtype)
        if rec and rec.get("use") in BENIGN:
            # a mention with a benign use (safe house, police station ...) never counts; it is
            # kept aside so the report can say what was left out and why
            t.benign_chains.add(chain_of[rid])
            continue
        t.chains[chain_of[rid]].add(rid)
        if role:
            t.roles[rid].add(role)
        if rec:
            if rec.get("force"):
                t.record_forces.add(rec["force"])
            pc = ((rec.get("attrs") or {}).get("address") or {}).get("postcode")
            if pc:
                t.postcodes.add(pc)
    return out


def is_benign_hub(entity: dict) -> bool:
    """A location most of whose records that state a use state a benign one (the analytics
    projection's rule, so a scan and a network agree on what a hub is)."""
    try:
        from linkage.analytics.projection import is_benign_location
    except ImportError:  # pragma: no cover - analytics ships with the package
        is_benign_location = None
    if is_benign_location is not None:
        return bool(is_benign_location(entity))
    if entity.get("entity_type") != "location":
        return False
    uses = (entity.get("attrs") or {}).get("uses") or {}
    benign = sum(n for u, n in uses.items() if u in BENIGN)
    return benign > 0 and benign * 2 >= sum(uses.values())


# -- findings ----------------------------------------------------------------------------------

def grading_of(report: dict) -> str | None:
    g = f"{report.get('grading_source') or ''}{report.get('grading_intel') or ''}"
    return g or None


def grading_points(best: str | None) -> int:
    """1A -> 20 ... 3E -> 4; ungraded (NRM, Duty to Notify, partner referrals) -> 0."""
    if not best:
        return 0
    s = next((c for c in best if c in "123"), None)
    i = next((c for c in best.upper() if c in "ABCDE"), None)
    return max(0, 20 - grading_rank(s, i))


def evidence_row(report: dict, chain: str, roles: Iterable[str] = ()) -> dict:
    return {
        "report_id": report["report_id"], "report_key": report.get("report_key"),
        "kind": report.get("kind"), "source_ref": report.get("source_ref"),
        "organisation": report.get("organisation"), "reported_at": report.get("reported_at"),
        "force": report.get("force"), "grading": grading_of(report),
        "handling": report.get("handling"), "conditions": report.get("conditions"),
        "child_involved": bool(report.get("child_involved")), "chain": chain,
        "roles": sorted(roles),
    }


def build_finding(ftype: FindingType, t: Tally, entity: dict | None, reports: dict[str, dict]) -> dict:
    evidence = []
    for chain, rids in t.chains.items():
        for rid in rids:
            evidence.append(evidence_row(reports[rid], chain, t.roles.get(rid, ())))
    evidence.sort(key=lambda e: (e["reported_at"] or date.min, e["report_id"]), reverse=True)
    graded = [e for e in evidence if e["grading"]]
    best = None
    if graded:
        best = min(graded, key=lambda e: grading_rank(e["grading"][:1], e["grading"][1:]))["grading"]
    report_forces = {e["force"] for e in evidence if e["force"]}
    forces = sorted(t.record_forces | report_forces)
    dates = [e["reported_at"] for e in evidence if e["reported_at"]]
    roles = sorted({r for rs in t.roles.values() for r in rs})
    ent = entity or {}
    conditions = sorted({e["conditions"] for e in evidence if e["handling"] == "C" and e["conditions"]})
    return {
        "key": f"{ftype.name}:{t.entity_id}", "type": ftype.name, "entity_id": t.entity_id,
        "entity_type": t.record_type, "label": ent.get("label") or t.entity_id,
        "reports": len(t.chains), "report_count": len(evidence),
        "first_seen": min(dates) if dates else None, "last_seen": max(dates) if dates else None,
        "forces": forces, "place_forces": sorted(t.record_forces), "cross_border": len(forces) > 1,
        "roles": roles, "offender": bool(set(roles) & OFFENDER_ROLES),
        "best_grading": best, "handling": "C" if conditions else ("P" if graded else None),
        "conditions": conditions,
        "child_involved": any(e["child_involved"] for e in evidence),
        "exploitation_types": sorted({x for e in evidence
                                      for x in reports[e["report_id"]].get("exploitation_types") or []}),
        "venue_types": sorted(((ent.get("attrs") or {}).get("venue_types") or {})),
        "flags": sorted(ent.get("flags") or []),
        "status": "new", "previous_reports": None, "previous_entity_id": None,
        "score": 0, "priority": 0, "evidence": evidence,
    }


def compare(findings: list[dict], previous: dict | None) -> None:
    """Set each finding's status against the previous scan's findings (in place).

    A finding is the same as before when its entity id was flagged then, or (when resolution has
    since renamed the entity) when at least half of that earlier finding's reports are among its
    own reports."""
    if previous is None:
        return
    prev_by_key: dict[str, dict] = {}
    by_report: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ftype, items in (previous.get("findings") or {}).items():
        for f in items:
            prev_by_key[f["key"]] = f
            for e in f.get("evidence") or []:
                by_report[(ftype, e.get("report_key") or e["report_id"])].add(f["key"])
    claimed: set[str] = set()
    for f in findings:
        if f["key"] in prev_by_key:
            claimed.add(f["key"])
    for f in findings:
        old = prev_by_key.get(f["key"])
        if old is None:
            overlap: dict[str, int] = defaultdict(int)
            for e in f["evidence"]:
                for k in by_report.get((f["type"], e.get("report_key") or e["report_id"]), ()):
                    overlap[k] += 1
            for k, n in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
                cand = prev_by_key[k]
                if k not in claimed and n * 2 >= len(cand.get("evidence") or []) and n >= 1:
                    old = cand
                    claimed.add(k)
                    f["previous_entity_id"] = cand["entity_id"]
                    break
        if old is None:
            f["status"] = "new"
            continue
        f["previous_reports"] = old.get("reports")
        f["status"] = "escalating" if f["reports"] > (old.get("reports") or 0) else "unchanged"


def score_of(item: dict) -> int:
    """The number that orders findings and alerts (higher first); documented in docs/SCAN.md.

    tier x 1,000,000 (alert 3, escalating 2, new 1, unchanged 0)
    + alert kind weight x 100,000 (child at a venue 9, section 45 8, under order 7,
      cross-border network 6, overdue dispatch 5)
    + 10,000 when a child is involved
    + 100 x distinct reports (chains), at most 99
    + 50 when a suspect or exploiter is among the roles
    + best grading: 1A 20, 1B 19 ... 3E 4; ungraded 0
    + 5 when more than one force is concerned
    """
    tier = TIER["alert"] if item.get("alert") else TIER.get(item.get("status"), 0)
    kind = ALERT_KINDS.get(item.get("kind") or "")
    return (tier * 1_000_000 + (kind.weight if kind and item.get("alert") else 0) * 100_000
            + (10_000 if item.get("child_involved") else 0)
            + 100 * min(int(item.get("reports") or 0), 99)
            + (50 if item.get("offender") else 0)
            + grading_points(item.get("best_grading"))
            + (5 if len(item.get("forces") or []) > 1 else 0))


def prioritise(items: list[dict]) -> list[dict]:
    """Score every item and number them 1..n (1 = read first); returns them in that order."""
    for it in items:
        it["score"] = score_of(it)
    ordered = sorted(items, key=lambda it: (-it["score"], _neg_date(it.get("last_seen")), it["key"]))
    for i, it in enumerate(ordered, 1):
        it["priority"] = i
    return ordered


def _neg_date(d: Any) -> int:
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d[:10])
        except ValueError:
            return 0
    return -d.toordinal() if isinstance(d, date) else 0


# -- alerts ------------------------------------------------------------------------------------

def _alert(kind: AlertKind, key: str, *, entity: dict | None = None, detail: str,
           evidence: list[dict] | None = None, forces: Iterable[str] = (), extra: dict | None = None) -> dict:
    ev = evidence or []
    ent = entity or {}
    graded = [e for e in ev if e.get("grading")]
    best = None
    if graded:
        best = min(graded, key=lambda e: grading_rank(e["grading"][:1], e["grading"][1:]))["grading"]
    dates = [e["reported_at"] for e in ev if e.get("reported_at")]
    out = {
        "key": key, "alert": True, "kind": kind.kind, "title": kind.title, "detail": detail,
        "entity_id": ent.get("entity_id"), "entity_type": ent.get("entity_type"),
        "label": ent.get("label"), "forces": sorted(set(forces)), "status": "new",
        "reports": len({e.get("chain") or e["report_id"] for e in ev}),
        "best_grading": best, "child_involved": any(e.get("child_involved") for e in ev)
        or kind.kind == "child_at_venue",
        "last_seen": max(dates) if dates else None, "evidence": ev, "score": 0, "priority": 0,
    }
    if extra:
        out.update(extra)
    return out


def flag_alerts(flags_now: dict[str, list[str]], named: dict[str, set[str]],
                is_new, previous_state: dict | None,
                child_venues: dict[str, dict[str, set[str]]]) -> list[dict]:
    """What changed since the previous scan among the entities named in the window, as alert
    decisions (evidence comes later): [{kind, entity_id, report_ids, detail, extra}].

    `named`: flagged entity -> the window's report ids naming it; `is_new(report_id)`: whether a
    report is new since the previous scan; `previous_state`: that scan's snapshot (None: no
    previous scan - everything current is an alert, once).
    - a flag in FLAG_ALERTS that the entity did not have at the previous scan; an entity that was
      not named in the previous scan's window at all counts when a new report names it;
    - `under_order`: reports new since the previous scan name the person;
    - `child_at_venue`: a child victim linked to a known venue it was not linked to then.
    """
    first = previous_state is None
    before = (previous_state or {}).get("flags") or {}
    active = set((previous_state or {}).get("active") or [])
    cv_before = (previous_state or {}).get("child_venues") or {}
    out: list[dict] = []
    for eid in sorted(flags_now):
        now = set(flags_now[eid])
        rids = named.get(eid, set())
        fresh = sorted(r for r in rids if is_new(r))
        for flag in sorted(now & set(FLAG_ALERTS)):
            kind = FLAG_ALERTS[flag]
            if first:
                why = f"flagged `{flag}` (first scan)"
            elif eid in active:
                if flag in (before.get(eid) or []):
                    continue
                why = f"flag `{flag}` is new since the last scan"
            elif fresh:
                why = f"flagged `{flag}` and named in {len(fresh)} new report(s)"
            else:
                continue
            out.append({"kind": kind.kind, "entity_id": eid, "report_ids": sorted(rids),
                        "detail": why, "extra": {}})
        if "under_order" in now and fresh:
            out.append({"kind": UNDER_ORDER.kind, "entity_id": eid, "report_ids": fresh,
                        "detail": f"under an order; {len(fresh)} new report(s) name this person",
                        "extra": {}})
    for child in sorted(child_venues):
        venues = child_venues[child]
        new_venues = sorted(set(venues) - set(cv_before.get(child) or []))
        if not new_venues:
            continue
        rids = sorted({r for v in new_venues for r in venues[v]})
        out.append({"kind": CHILD_AT_VENUE.kind, "entity_id": child, "report_ids": rids,
                    "detail": f"child victim linked to {len(new_venues)} known venue(s)",
                    "extra": {"venue_ids": new_venues}})
    return out


def _forces_of(entity: dict, evidence: list[dict]) -> set[str]:
    return set(entity.get("forces") or []) | {e["force"] for e in evidence if e.get("force")}


def network_alerts(networks: list[dict], before: list[dict] | None) -> list[dict]:
    """Cross-border networks that were not cross-border at the previous scan, or that now reach a
    force they did not. A network is matched to earlier ones by shared members (ids change)."""
    prev = before or []
    owner: dict[str, int] = {}
    for i, n in enumerate(prev):
        for m in n.get("member_ids") or []:
            owner.setdefault(m, i)
    out = []
    for n in networks:
        forces = set(n.get("forces") or [])
        if len(forces) < 2:
            continue
        matched = {owner[m] for m in n.get("member_ids") or [] if m in owner}
        old_forces: set[str] = set()
        for i in matched:
            if len(prev[i].get("forces") or []) >= 2:
                old_forces |= set(prev[i].get("forces") or [])
        gained = forces - old_forces
        if old_forces and not gained:
            continue
        if not old_forces:
            detail = f"network of {n.get('size')} entities now spans {', '.join(sorted(forces))}"
        else:
            detail = (f"network of {n.get('size')} entities now also reaches "
                      f"{', '.join(sorted(gained))} (was {', '.join(sorted(old_forces))})")
        label = _network_label(n)
        out.append(_alert(CROSS_BORDER, f"cross_border_network:{n.get('network_id')}",
                          entity={"entity_id": n.get("network_id"), "entity_type": "network",
                                  "label": label},
                          forces=forces, detail=detail,
                          extra={"network_id": n.get("network_id"), "new_forces": sorted(gained),
                                 "victims": len(n.get("victims") or []),
                                 "suspects": len(n.get("suspects") or []),
                                 "venues": len(n.get("venues") or []),
                                 "child_involved": bool(n.get("child_victims")),
                                 "reports": int(n.get("report_count") or 0),
                                 "last_seen": n.get("last_seen")}))
    return out


def _network_label(n: dict) -> str:
    venues = [v.get("label") for v in n.get("venues") or [] if v.get("label")]
    parts = [f"{len(n.get('victims') or [])} victims", f"{len(n.get('suspects') or [])} suspects",
             f"{len(n.get('venues') or [])} venues"]
    head = f"{venues[0]} and linked" if venues else "network"
    return f"{head} ({', '.join(parts)})"


def dispatch_alerts(dispatches: list[dict]) -> list[dict]:
    out = []
    for d in dispatches:
        did = d.get("dispatch_id") or d.get("id") or "?"
        force = d.get("force")
        rid = d.get("report_id")
        ev = [{"report_id": rid, "report_key": None, "kind": d.get("kind"),
               "source_ref": d.get("source_ref"), "organisation": d.get("organisation"),
               "reported_at": None, "force": force, "grading": None, "handling": d.get("handling"),
               "conditions": d.get("conditions"), "child_involved": bool(d.get("child_involved")),
               "chain": rid, "roles": []}] if rid else []
        out.append(_alert(OVERDUE, f"overdue_dispatch:{did}",
                          entity={"entity_id": did, "entity_type": "dispatch",
                                  "label": f"dispatch {did} to {force or '?'}"},
                          forces=[force] if force else [], evidence=ev,
                          detail=f"{d.get('status') or 'awaiting'} since "
                                 f"{d.get('sent_at') or d.get('created_at') or '?'}; "
                                 f"deadline {d.get('deadline') or '?'}",
                          extra={"dispatch_id": did, "deadline": d.get("deadline"),
                                 "dispatch_priority": d.get("priority")}))
    return out


# -- the run -------------------------------------------------------------------------------------

def scan_key(on: date, force: str | None) -> str:
    return on.isoformat() if not force else f"{on.isoformat()}@{force}"


def check_params(window_days: int, min_reports: int, force: str | None) -> str | None:
    if not 1 <= int(window_days) <= MAX_WINDOW_DAYS:
        raise UserError(f"--window-days must be between 1 and {MAX_WINDOW_DAYS}, not {window_days}")
    if int(min_reports) < 2:
        raise UserError(f"--min-reports must be at least 2 (a repeat needs two reports), not {min_reports}")
    if force is None or force == "":
        return None
    code = force_code(force)
    if code is None:
        raise UserError(f"unknown force {force!r}: use a force code such as west-midlands "
                        "(FORMATS.md lists them)")
    return code


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def run_scan(store, settings, *, on: date, window_days: int = 90, min_reports: int = 3,
             force: str | None = None, out_dir: Path | None = None, record: bool = True,
             refresh_flags: bool = False, networks: bool = True) -> dict:
    """Scan the window ending on `on`; returns the result (see the module docstring).

    `record=False` (a read-only store) leaves the graph untouched and the run is not stored, so
    it is not the "last scan" of any later run. Flags are read as stored (every resolution
    refreshes them); `refresh_flags=True` recomputes them first (recording scans only).
    `networks=False` leaves out the cross-border network alerts (finding networks is the costly
    part on a large graph).
    """
    with gc_paused():  # a quarter of a scan on 100,000 reports otherwise
        return _run_scan(store, settings, on=on, window_days=window_days, min_reports=min_reports,
                         force=force, out_dir=out_dir, record=record, refresh_flags=refresh_flags,
                         networks=networks)


def _run_scan(store, settings, *, on: date, window_days: int, min_reports: int, force: str | None,
              out_dir: Path | None, record: bool, refresh_flags: bool, networks: bool) -> dict:
    t_start = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, t0: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - t0, 3)
        return now

    force = check_params(window_days, min_reports, force)
    start, end = window(on, int(window_days))
    ran_at = _utcnow()
    warnings: list[str] = []
    components: dict[str, str] = {}

    t = time.perf_counter()
    previous = _previous_result(store, on, force)
    reports = latest_versions(store.reports_between(start, end))
    chain_of = submission_chains(reports)
    t = lap("reports", t)

    unresolved = _unresolved(store)
    entity_of, records = window_records(store.mentions_between(start, end), reports)
    t = lap("records", t)

    place_linked: set[str] = set()
    stated: list[tuple[str, str, str]] = []  # person <-> thing links a report states
    for l in store.record_links_between(start, end):
        if l["report_id"] not in reports:
            continue
        src_t, dst_t = split_record_id(l["src"])[1], split_record_id(l["dst"])[1]
        if l["link_type"] in PLACE_LINKS and src_t == "person" and dst_t == "location":
            place_linked.add(l["dst"])
        if l["link_type"] not in LOOSE_LINKS and "person" in (src_t, dst_t):
            stated.append((l["src"], l["dst"], l["report_id"]))
    t = lap("links", t)

    tallies = tally(reports, chain_of, entity_of, records, place_linked)
    candidates = [x for x in tallies.values() if len(x.chains) >= min_reports]
    benign_only = [x for x in tallies.values()
                   if len(x.chains) < min_reports <= len(set(x.chains) | x.benign_chains)]
    t = lap("tally", t)

    if refresh_flags and record:
        _refresh_flags(store, settings, components)
    else:
        components["flags"] = "read as stored (refreshed after every resolution)"
    nets = _networks(store, components) if networks else []
    if not networks:
        components["networks"] = "skipped"
    t = lap("flags_networks", t)

    # every entity named in the window: labels, attributes and the stored flags
    proj = _projection_after_networks(store) if networks and nets is not None else None
    entities = _entities(store, proj, set(entity_of.values()))
    flags_now = {e: sorted(row["flags"]) for e, row in entities.items() if row.get("flags")}
    t = lap("entities", t)

    from linkage.jobs.hubs import hub_list

    hubs = hub_list(store)
    findings_by_type: dict[str, list[dict]] = {n: [] for n in TYPE_NAMES}
    excluded: list[dict] = []
    for x in sorted(candidates, key=lambda x: x.entity_id):
        ftype = TYPE_BY_RECORD[x.record_type]
        ent = entities.get(x.entity_id)
        postcodes = set(x.postcodes)
        if ent and (ent.get("attrs") or {}).get("postcode"):
            postcodes.add(ent["attrs"]["postcode"])
        hub = hubs.match(x.entity_id, postcodes)
        reason = None
        if hub is not None:
            reason = f"known hub ({hub.get('kind')} {hub.get('value')}): {hub.get('reason')}"
        elif ent is not None and is_benign_hub(ent):
            uses = (ent.get("attrs") or {}).get("uses") or {}
            reason = "benign hub: stated uses " + ", ".join(f"{u} x{n}" for u, n in sorted(uses.items()))
        f = build_finding(ftype, x, ent, reports)
        if reason:
            excluded.append({k: f[k] for k in ("key", "type", "entity_id", "label", "reports",
                                                "forces", "first_seen", "last_seen")}
                            | {"reason": reason})
            continue
        findings_by_type[ftype.name].append(f)
    for x in benign_only:
        ent = entities.get(x.entity_id) or {}
        n_benign = len(x.benign_chains - set(x.chains))
        excluded.append({"key": f"{TYPE_BY_RECORD[x.record_type].name}:{x.entity_id}",
                         "type": TYPE_BY_RECORD[x.record_type].name, "entity_id": x.entity_id,
                         "label": ent.get("label") or x.entity_id,
                         "reports": len(set(x.chains) | x.benign_chains),
                         "forces": sorted(x.record_forces), "first_seen": None, "last_seen": None,
                         "reason": f"benign use stated in {n_benign} of the reports naming it "
                                   f"(those do not count; {len(x.chains)} other report(s) do)"})
    all_findings = [f for items in findings_by_type.values() for f in items]
    compare(all_findings, previous)
    t = lap("findings", t)

    state_before = (previous or {}).get("state") if previous else None
    prev_ran = _parse_ts(previous.get("ran_at")) if previous else None
    prev_date = _parse_date(previous.get("date")) if previous else None

    def is_new(rid: str) -> bool:
        if previous is None:
            return True
        rep = reports[rid]
        when, received = rep.get("reported_at"), rep.get("received_at")
        return bool((prev_date and when and when > prev_date)
                    or (prev_ran and received and received > prev_ran))

    named: dict[str, set[str]] = defaultdict(set)
    for rec, eid in entity_of.items():
        if eid in flags_now:
            named[eid].add(rec.partition("/")[0])
    child_venues = child_venue_links(stated, entity_of, flags_now, entities)
    decisions = flag_alerts(flags_now, named, is_new,
                            state_before if previous else None, child_venues)
    place_forces = _place_forces({d["entity_id"] for d in decisions}, stated, entity_of, records)
    alerts = _entity_alerts(decisions, entities, reports, chain_of, place_forces)
    alerts += network_alerts(nets, (state_before or {}).get("networks") if previous else None)
    alerts += dispatch_alerts(_overdue_dispatches(store, components))
    t = lap("alerts", t)

    if force:
        for name in findings_by_type:
            findings_by_type[name] = [f for f in findings_by_type[name] if force in f["forces"]]
        alerts = [a for a in alerts if force in a["forces"]]
        excluded = [e for e in excluded if force in e["forces"]]
    ranked = prioritise([f for items in findings_by_type.values() for f in items] + alerts)
    for name in findings_by_type:
        findings_by_type[name].sort(key=lambda f: f["priority"])
    alerts.sort(key=lambda a: a["priority"])
    excluded.sort(key=lambda e: (-e["reports"], e["key"]))

    if unresolved:
        warnings.append(f"{unresolved:,} record(s) are not resolved yet and are not in this scan: "
                        "run `linkage resolve` (or resolve through the API) before scanning")

    key = scan_key(on, force)
    result: dict[str, Any] = {
        "scan_id": f"scan-{key.replace('@', '-')}", "key": key, "date": on, "force": force,
        "ran_at": ran_at, "recorded": bool(record),
        "params": {"window_days": int(window_days), "min_reports": int(min_reports),
                   "force": force},
        "window": {"start": start, "end": end},
        "previous": ({"scan_id": previous.get("scan_id"), "date": previous.get("date"),
                      "ran_at": previous.get("ran_at")} if previous else None),
        "counts": {
            "reports_in_window": len(reports), "chains": len(set(chain_of.values())),
            "findings": {n: _status_counts(findings_by_type[n]) for n in TYPE_NAMES},
            "alerts": _kind_counts(alerts), "excluded": len(excluded),
            "hubs_known": len(hubs),
        },
        "findings": findings_by_type,
        "alerts": alerts,
        "excluded": excluded,
        "top": [_compact(x) for x in ranked[:10]],
        "components": components,
        "warnings": warnings,
        "store": getattr(store, "kind", "?"),
        "outputs": {},
        "runs": 1,
        "timings": timings,
    }
    result["counts"]["total_findings"] = sum(v["total"] for v in result["counts"]["findings"].values())
    if record:
        old = store.list_docs(SCANS).get(key)
        result["runs"] = int(old.get("runs") or 1) + 1 if old else 1
    result["seconds"] = round(time.perf_counter() - t_start, 3)
    result = _jsonable(result)  # once: dates as ISO strings, sets as sorted lists
    if out_dir is not None:
        from linkage.jobs.scan_report import write_outputs

        t = time.perf_counter()
        result["outputs"] = write_outputs(result, Path(out_dir))
        lap("outputs", t)
    if record:
        t = time.perf_counter()
        _record(store, result, _jsonable({
            "flags": flags_now, "active": sorted(set(entity_of.values())),
            "child_venues": {c: sorted(v) for c, v in child_venues.items()},
            "networks": [{"network_id": n.get("network_id"), "forces": n.get("forces") or [],
                          "member_ids": n.get("member_ids") or []} for n in nets]}))
        lap("record", t)
    result["timings"] = timings
    result["seconds"] = round(time.perf_counter() - t_start, 3)
    return result


def _status_counts(items: list[dict]) -> dict[str, int]:
    c = {s: 0 for s in STATUSES}
    for f in items:
        c[f["status"]] += 1
    c["total"] = len(items)
    return c


def _kind_counts(alerts: list[dict]) -> dict[str, int]:
    c: dict[str, int] = defaultdict(int)
    for a in alerts:
        c[a["kind"]] += 1
    return dict(sorted(c.items()))


def _compact(item: dict) -> dict:
    return {k: item.get(k) for k in ("priority", "key", "type", "kind", "status", "entity_id", "label",
                                     "reports", "forces", "score")}


def _unresolved(store) -> int:
    try:
        return store.unresolved_count()
    except Exception:  # noqa: BLE001 - a count is advice only; never fail a scan for it
        return 0


def _refresh_flags(store, settings, components: dict) -> None:
    try:
        from linkage.analytics.flags import refresh_flags
    except ImportError:
        components["flags"] = "not installed: flags read as stored"
        return
    refresh_flags(store, settings)
    components["flags"] = "refreshed, then read"


def _projection_after_networks(store):
    """The analytics projection this process holds (find_networks builds one unless it found
    saved networks), or None: the entity rows are then read from the store."""
    try:
        from linkage.analytics.projection import cached_projection
    except ImportError:
        return None
    return cached_projection(store)


def _entities(store, proj, ids: set[str]) -> dict[str, dict]:
    if not ids:
        return {}
    if proj is not None:
        out = {i: proj.entities[i] for i in ids if i in proj.entities}
        missing = ids - set(out)
    else:
        out, missing = {}, ids
    if missing:
        out.update({e["entity_id"]: e for e in store.entities(sorted(missing))})
    return out


def _venue_rules():
    try:
        from linkage.analytics.projection import is_hub, is_venue
    except ImportError:  # pragma: no cover - analytics ships with the package
        return (lambda e: e.get("entity_type") == "business" or bool(((e.get("attrs") or {}).get("uses") or {}).get("exploitation")),
                is_benign_hub)
    return is_venue, is_hub


def child_venue_links(stated: list[tuple[str, str, str]], entity_of: dict[str, str],
                      flags: dict[str, list[str]], entities: dict[str, dict]) -> dict[str, dict[str, set[str]]]:
    """child victim -> {known venue -> report ids}: a person flagged `child` and a venue joined by
    a stated record link (not merely named together) in the window's reports. A known venue is a
    venue (analytics `is_venue`) that is not a hub and is named in at least KNOWN_VENUE_REPORTS
    reports."""
    is_venue, is_hub = _venue_rules()
    out: dict[str, dict[str, set[str]]] = {}
    for a_rec, b_rec, rid in stated:
        a, b = entity_of.get(a_rec), entity_of.get(b_rec)
        if a is None or b is None:
            continue
        for child, venue in ((a, b), (b, a)):
            if CHILD_FLAG not in (flags.get(child) or ()):
                continue
            v = entities.get(venue)
            if (v is None or not is_venue(v) or is_hub(v)
                    or int(v.get("report_count") or 0) < KNOWN_VENUE_REPORTS):
                continue
            out.setdefault(child, {}).setdefault(venue, set()).add(rid)
    return out


def _place_forces(entity_ids: set[str], stated: list[tuple[str, str, str]], entity_of: dict[str, str],
                  records: dict[str, dict]) -> dict[str, set[str]]:
    """entity -> the forces of the places the window's reports link it to (a person's forces)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b, _rid in stated:
        for who, where in ((a, b), (b, a)):
            eid = entity_of.get(who)
            if eid in entity_ids:
                force = (records.get(where) or {}).get("force")
                if force:
                    out[eid].add(force)
    return out


def _entity_alerts(decisions: list[dict], entities: dict[str, dict], reports: dict[str, dict],
                   chain_of: dict[str, str], place_forces: dict[str, set[str]] | None = None) -> list[dict]:
    """Alert decisions -> alerts with their evidence: the window's reports behind each (at most
    MAX_ALERT_EVIDENCE, newest first; `evidence_total` says how many there were)."""
    out = []
    for d in decisions:
        kind = ALERT_KINDS[d["kind"]]
        ev = [evidence_row(reports[r], chain_of.get(r, r)) for r in d["report_ids"] if r in reports]
        ev.sort(key=lambda e: (e["reported_at"] or date.min, e["report_id"]), reverse=True)
        total = len(ev)
        ev = ev[:MAX_ALERT_EVIDENCE]
        ent = entities.get(d["entity_id"]) or {"entity_id": d["entity_id"], "entity_type": "person"}
        forces = _forces_of(ent, ev) | (place_forces or {}).get(d["entity_id"], set())
        extra = dict(d["extra"])
        detail = d["detail"]
        if extra.get("venue_ids"):
            vs = [entities.get(v) or {"entity_id": v} for v in extra["venue_ids"]]
            extra["venues"] = [{"entity_id": v["entity_id"], "label": v.get("label"),
                                "forces": v.get("forces") or []} for v in vs]
            forces |= {f for v in vs for f in v.get("forces") or []}
            detail += ": " + "; ".join(v.get("label") or v["entity_id"] for v in vs)
        if total > len(ev):
            extra["evidence_total"] = total
        out.append(_alert(kind, f"{kind.kind}:{d['entity_id']}", entity=ent, evidence=ev,
                          forces=forces, detail=f"{ent.get('label') or d['entity_id']}: {detail}",
                          extra=extra))
    return out


def _networks(store, components: dict) -> list[dict]:
    try:
        from linkage.analytics.networks import find_networks
    except ImportError:
        components["networks"] = "not installed"
        return []
    nets = find_networks(store, cross_border=True)
    components["networks"] = f"{len(nets)} cross-border"
    return nets


def _overdue_dispatches(store, components: dict) -> list[dict]:
    try:
        from linkage.jobs.routing import list_dispatches
    except ImportError:
        components["dispatches"] = "not installed"
        return []
    items = list(list_dispatches(store, overdue=True))
    components["dispatches"] = f"{len(items)} overdue"
    return items


# -- recording and history -------------------------------------------------------------------------

def _record(store, result: dict, state: dict) -> None:
    """Store the run (result and state already JSON-ready): the whole result for its key, then
    the header (so a header always has its result). Same date (and force filter) again: both are
    replaced, never duplicated."""
    key = result["key"]
    store.put_docs(RESULT_PREFIX + key, {RESULT_DOC: {**result, "state": state}})
    store.put_docs(SCANS, {key: header_of(result)})


def header_of(result: dict) -> dict:
    return {k: result.get(k) for k in ("scan_id", "key", "date", "force", "ran_at", "params",
                                       "window", "previous", "counts", "top", "outputs", "runs",
                                       "seconds", "store", "warnings")}


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in x]
        return sorted(items) if isinstance(x, (set, frozenset)) else items
    if isinstance(x, datetime):
        return x.isoformat(timespec="seconds")
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, Path):
        return str(x)
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _parse_date(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _parse_ts(v: Any) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v
    try:
        return datetime.fromisoformat(str(v))
    except ValueError:
        return None


def scan_history(store) -> list[dict]:
    """Every recorded scan (its header: date, parameters, counts, top findings), newest first."""
    docs = list(store.list_docs(SCANS).values())
    docs.sort(key=lambda d: (d.get("date") or "", d.get("force") or "", d.get("ran_at") or ""), reverse=True)
    return docs


def _load(store, key: str, *, with_state: bool = False) -> dict | None:
    body = store.get_doc(RESULT_PREFIX + key, RESULT_DOC)
    if body is None:
        return None
    if not with_state:
        body.pop("state", None)
    return body


def scan_for_date(store, on: date, *, force: str | None = None) -> dict | None:
    """The recorded scan of that date (and force filter), whole, or None."""
    force = check_params(1, 2, force)
    return _load(store, scan_key(on, force))


def latest_scan(store, *, force: str | None = None) -> dict | None:
    """The recorded scan of the latest date (whole), or None when nothing was recorded."""
    force = check_params(1, 2, force)
    for h in scan_history(store):
        if (h.get("force") or None) == force:
            return _load(store, h["key"])
    return None


def _previous_result(store, on: date, force: str | None) -> dict | None:
    """The latest recorded scan of an EARLIER date, with its state: the same force filter first,
    else an unfiltered one (its findings are a superset)."""
    headers = [h for h in scan_history(store) if _parse_date(h.get("date")) and _parse_date(h["date"]) < on]
    for wanted in ([force, None] if force else [None]):
        for h in headers:
            if (h.get("force") or None) == wanted:
                return _load(store, h["key"], with_state=True)
    return None


# -- scheduling (pure: the CLI owns the clock and the sleeping) ---------------------------------------

_EVERY = re.compile(r"(\d+)\s*([dhms])", re.I)
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_every(text: str) -> timedelta:
    """"24h", "1d", "30m", "1h30m", "90s" -> timedelta (at least one minute)."""
    t = (text or "").strip().lower()
    parts = _EVERY.findall(t)
    if not parts or _EVERY.sub("", t).strip():
        raise UserError(f"--every {text!r}: give an interval such as 24h, 1d, 12h or 30m")
    seconds = sum(int(n) * _UNITS[u.lower()] for n, u in parts)
    if seconds < 60:
        raise UserError("--every must be at least 1m")
    return timedelta(seconds=seconds)


def parse_at(text: str | None) -> dtime | None:
    if text is None or text == "":
        return None
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UserError(f"--at {text!r}: give a local time as HH:MM, e.g. 06:00")
    return dtime(int(m.group(1)), int(m.group(2)))


def next_run(now: datetime, every: timedelta, at: dtime | None, last: datetime | None) -> datetime:
    """When the next scheduled scan starts (local, naive datetimes).

    Without `at`: now for the first run, then `every` after the previous one (now if that is
    past). With `at`: the first time of day `at` (stepping by `every` from today's `at`) that is
    not earlier than now and later than the previous run. Whole-day intervals step by calendar
    days, so 06:00 stays 06:00 across a clock change."""
    if at is None:
        if last is None:
            return now
        return max(last + every, now)
    anchor = datetime.combine(now.date(), at)
    floor = max(now, last + timedelta(seconds=1)) if last else now
    if every % timedelta(days=1) == timedelta(0):
        step_days = every // timedelta(days=1)
        t = anchor
        while t < floor:
            t = datetime.combine(t.date() + timedelta(days=step_days), at)
        return t
    if anchor >= floor:
        # step back to the earliest slot of the day still ahead
        k = (anchor - floor) // every
        return anchor - k * every
    k = math.ceil((floor - anchor) / every)
    return anchor + k * every
