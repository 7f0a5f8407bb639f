"""SOCEX hub referral routing: which force(s) must act on each referral, and the dispatches.

HMICFRS recommendation 3: forward every NRM form to the relevant force as soon as possible, with a
clear audit process to show how and when it was assessed and shared. For the latest version of
every NRM form, Duty to Notify and partner referral this module decides:

- where the exploitation took place: the force of each place of exploitation (records with role
  `exploitation`, or at the end of an EXPLOITED_AT link); for partner referrals also the places
  the partner names (not residences, not safe houses, police stations and the like);
- where the victim is now: the force of the victim's most recent address (LIVES_AT) across all
  reports, through the victim's resolved entity, so a victim relocated through the NRM is
  followed;
- who already owns linked entities: the forces of an existing network (linkage.analytics) that an
  entity of the report belongs to, and the forces holding an open dispatch about the same suspect
  or venue entity.

Each force gets one dispatch with its reasons; a referral with no place that can be put in a force
area goes to the hub's triage queue with the reason, never dropped. Priority is immediate when a
child is involved, the partner marked it immediate, or it links to a known network.

Everything here is a function of the store and the clock passed in; nothing prints. Each
assessment, dispatch, transition and delivery attempt is appended to the hash-chained audit log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any

from linkage.errors import LinkageError, NotFound, UserError
from linkage.jobs import dispatch_model as M
from linkage.jobs.delivery import (
    DISPATCHES, OUTBOX, DeliveryConfig, cancel_item, deliver_due, outbox_item,
)
from linkage.model import BENIGN_USES, FORCE_CODES, LinkType, Role, force_code, force_name
from linkage.resolve.entities import ALL_TIME, mark_superseded

__all__ = [
    "route_all", "route_report", "list_dispatches", "ack_dispatch", "reject_dispatch",
    "resend_dispatch", "deliver_due", "dispatch_stats", "triage_queue", "assign_triage",
    "close_triage", "ROUTABLE_KINDS",
]

ROUTABLE_KINDS = ("nrm", "dtn", "referral")
ROUTING = "routing"  # report_key -> the latest assessment of that report
TRIAGE = "triage"

# Why a force gets a referral, in the order reasons are listed.
EXPLOITATION = "exploitation"
CURRENT_ADDRESS = "current_address"
PLACE_OF_CONCERN = "place_of_concern"
NETWORK = "network"
OPEN_DISPATCH = "open_dispatch"
MANUAL = "manual"
BASES = (EXPLOITATION, CURRENT_ADDRESS, PLACE_OF_CONCERN, NETWORK, OPEN_DISPATCH, MANUAL)
PLACED = frozenset({EXPLOITATION, CURRENT_ADDRESS, PLACE_OF_CONCERN})  # a referral is locatable
MAX_LISTED = 5  # dispatch ids named in one open_dispatch reason
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

OFFENDERS = frozenset({Role.SUSPECT, Role.EXPLOITER})
CONCERN_ROLES = frozenset({Role.EXPLOITATION, Role.SUBJECT, Role.VENUE, Role.WORKPLACE, Role.MENTIONED})
VICTIMS_OWN = frozenset({LinkType.LIVES_AT, LinkType.USES_PHONE, LinkType.USES_EMAIL,
                         LinkType.USES_VEHICLE, LinkType.HOLDS_ACCOUNT})

_KIND_NAMES = {"nrm": "NRM referral", "dtn": "Duty to Notify", "referral": "partner referral",
               "intel": "intelligence report"}


# -- what the store says, read once per run ----------------------------------------------------

class Context:
    """Reports, records, links, the resolution and standing dispatches, indexed for routing."""

    def __init__(self, store, reports: dict[str, dict]):
        self.store = store
        self.reports = reports  # report_id -> report (with `superseded`), no raw payload
        self.records: dict[str, dict] = {}
        self.by_report: dict[str, list[dict]] = defaultdict(list)
        for r in store.records():
            self.records[r["record_id"]] = r
            self.by_report[r["report_id"]].append(r)
        self.entity_of: dict[str, str] = {rid: m[0] for rid, m in store.memberships().items()}
        self.entity_records: dict[str, list[str]] = defaultdict(list)
        for rid, eid in self.entity_of.items():
            self.entity_records[eid].append(rid)
        self.links_from: dict[str, list[dict]] = defaultdict(list)
        self.links_of_report: dict[str, list[dict]] = defaultdict(list)
        for l in store.record_links():
            self.links_from[l["src"]].append(l)
            self.links_of_report[l["report_id"]].append(l)
        self.dispatches: dict[str, dict] = store.list_docs(DISPATCHES)
        self.standing_by_entity: dict[str, list[dict]] = defaultdict(list)
        for d in self.dispatches.values():
            self.index_dispatch(d)
        self._analytics: Any = False  # linkage.analytics.networks, None if absent; False: not looked up
        self._networks: dict[str, dict | None] = {}
        self._by_member: dict[str, dict] | None = None

    def index_dispatch(self, d: dict) -> None:
        """A force owns the suspects and venues of a standing dispatch it got for a place (or by
        the hub's hand); not of one it got only through such links, which would snowball."""
        owns = any(r.get("basis") in PLACED or r.get("basis") == MANUAL for r in d.get("reasons") or [])
        if d["status"] in M.STANDING and owns:
            ents = d.get("entities") or {}
            for eid in set(ents.get("suspects") or []) | set(ents.get("venues") or []):
                self.standing_by_entity[eid].append(d)

    def latest(self, report_id: str) -> bool:
        rep = self.reports.get(report_id)
        return rep is not None and not rep.get("superseded")

    def report_keys_of_entity(self, entity_id: str) -> set[str]:
        keys = set()
        for rid in self.entity_records.get(entity_id, ()):
            rec = self.records.get(rid)
            if rec is not None and self.latest(rec["report_id"]):
                keys.add(self.reports[rec["report_id"]]["report_key"])
        return keys

    @property
    def networks_available(self) -> bool:
        """Whether network analytics is installed (imported lazily, once)."""
        if self._analytics is False:
            try:
                from linkage.analytics import networks
            except ImportError:
                networks = None
            self._analytics = networks
        return self._analytics is not None

    def network(self, entity_id: str) -> dict | None:
        """The existing network the entity belongs to, as {network_id, forces, entity_ids}."""
        if not self.networks_available:
            return None
        find_all = getattr(self._analytics, "find_networks", None)
        if self._by_member is None and find_all is not None:
            # every network at once (one projection) rather than one network_of call per entity
            self._by_member = {}
            for net in find_all(self.store, min_size=2):
                for m in net["member_ids"]:
                    self._by_member[m] = _network_summary(net)
        if self._by_member is not None:
            return self._by_member.get(entity_id)
        if entity_id not in self._networks:
            try:
                found = self._analytics.network_of(self.store, entity_id)
            except NotFound:
                found = None
            self._networks[entity_id] = _network_summary(found) if found else None
        return self._networks[entity_id]


def _network_summary(net: dict) -> dict:
    return {"network_id": net["network_id"], "entity_ids": list(net["member_ids"]),
            "forces": [f for f in net.get("forces") or [] if f in FORCE_CODES]}


# -- the assessment (pure over the context) ----------------------------------------------------

def _place_label(rec: dict) -> str:
    venue = rec.get("venue_type") or (rec.get("attrs") or {}).get("venue_type")
    use = rec.get("use")
    what = (venue or ("place of exploitation" if use == "exploitation" else use) or "place").replace("_", " ")
    postcode = ((rec.get("attrs") or {}).get("address") or {}).get("postcode")
    return f"{what} ({postcode})" if postcode else what


def _report_label(rep: dict) -> str:
    when = rep.get("reported_at")
    return f"{_KIND_NAMES.get(rep['kind'], rep['kind'])} {rep['source_ref']}" + (f" of {when}" if when else "")


def _recency(rep: dict) -> tuple:
    return (rep.get("reported_at") or date.min, M.utc(rep.get("received_at")) or _EPOCH,
            rep.get("version") or 0)


def assess(report: dict, ctx: Context) -> dict:
    """The routing decision for one report version: forces with their reasons, or triage."""
    rid = report["report_id"]
    records = ctx.by_report.get(rid, [])
    forces: dict[str, dict[tuple, dict]] = defaultdict(dict)  # force -> {(basis, about): reason}
    notes: list[str] = []
    unplaced: dict[str, str] = {}  # record id -> label of a place with no force

    def add(force: str | None, reason: dict, rec: dict | None = None) -> None:
        if force in FORCE_CODES:
            about = reason.get("record_id") or reason.get("network_id") or reason.get("entity_id")
            forces[force].setdefault((reason["basis"], about), reason)
        elif rec is not None:
            unplaced[rec["record_id"]] = _place_label(rec)

    locations = {r["record_id"]: r for r in records if r["record_type"] == "location"}
    # 1. where the exploitation took place
    exploited = {k for k, r in locations.items() if r.get("role") == Role.EXPLOITATION}
    for l in ctx.links_of_report.get(rid, []):
        if l["link_type"] == LinkType.EXPLOITED_AT and l["dst"] in locations:
            exploited.add(l["dst"])
    for k in sorted(exploited):
        rec = locations[k]
        add(rec.get("force"), {"basis": EXPLOITATION, "record_id": k,
                               "detail": f"exploitation at a {_place_label(rec)} in this force area"}, rec)
    # ... and for partner referrals, the places the partner names
    if report["kind"] == "referral":
        for k, rec in sorted(locations.items()):
            if k in exploited or rec.get("role") not in CONCERN_ROLES or rec.get("use") in BENIGN_USES:
                continue
            add(rec.get("force"), {"basis": PLACE_OF_CONCERN, "record_id": k,
                                   "detail": f"the partner names a {_place_label(rec)} in this force area"}, rec)
    # 2. where the victim is now
    victims = [r for r in records if r["record_type"] == "person" and r.get("role") == Role.VICTIM]
    for v in victims:
        found = _current_address(v, ctx, rid)
        if found is None:
            continue
        rep, locs = found
        here = rep["report_id"] == rid
        for loc in locs:
            where = "given in this report" if here else f"from {_report_label(rep)}"
            add(loc.get("force"), {"basis": CURRENT_ADDRESS, "record_id": loc["record_id"],
                                   "evidence_report_id": rep["report_id"],
                                   "detail": f"the victim's most recent address ({where}) is in this force area"},
                loc)
    # 3. who already owns linked entities
    suspects, venues = _suspects_and_venues(records, ctx)
    networks = _linked_networks(records, ctx, report)
    if not ctx.networks_available:
        notes.append("network analytics not installed: existing networks not checked")
    for net, via in networks:
        for f in net["forces"]:
            add(f, {"basis": NETWORK, "network_id": net["network_id"], "entity_id": via["entity_id"],
                    "detail": f"the {via['what']} is part of network {net['network_id']} "
                              f"({', '.join(net['forces'])})"})
    for eid, what in sorted({**{e: "suspect" for e in suspects}, **{e: "venue" for e in venues}}.items()):
        held: dict[str, list[dict]] = defaultdict(list)
        for d in ctx.standing_by_entity.get(eid, ()):
            if d.get("report_key") != report["report_key"]:
                held[d["force"]].append(d)
        for force, ds in held.items():
            ds.sort(key=lambda d: (d.get("created_at") or "", d["dispatch_id"]))
            first = ds[0]
            more = f" and {len(ds) - 1} more" if len(ds) > 1 else ""
            add(force, {"basis": OPEN_DISPATCH, "entity_id": eid,
                        "dispatch_ids": [d["dispatch_id"] for d in ds[:MAX_LISTED]], "count": len(ds),
                        "detail": f"the same {what} is in dispatch {first['dispatch_id']} "
                                  f"({_KIND_NAMES.get(first.get('kind'), first.get('kind'))} "
                                  f"{first.get('source_ref')}){more} already with this force"})
    # priority
    priority_reasons = []
    child = bool(report.get("child_involved")) or any((v.get("attrs") or {}).get("is_child") for v in victims)
    if child:
        priority_reasons.append("a child is involved")
    if (report.get("urgency") or "").lower() == M.IMMEDIATE:
        priority_reasons.append("the partner marked it immediate")
    if networks:
        priority_reasons.append("it links to a known network: " + ", ".join(
            sorted({n["network_id"] for n, _ in networks})))
    places = ", ".join(sorted(set(unplaced.values())))
    routed = [{"force": f, "force_name": force_name(f),
               "reasons": sorted(rs.values(), key=lambda r: BASES.index(r["basis"]))}
              for f, rs in forces.items()]
    routed.sort(key=lambda x: (min(BASES.index(r["basis"]) for r in x["reasons"]), x["force"]))
    triage_reason = None
    suggested: list[dict] = []
    if not any(r["basis"] in PLACED for f in routed for r in f["reasons"]):
        # Without a place, links alone (a shared phone ...) do not decide: the hub does, with
        # the forces those links point to as suggestions.
        suggested, routed = routed, []
        if unplaced:
            triage_reason = (f"no place could be put in a force area: {len(unplaced)} place(s) named "
                             f"({places}), none with a postcode we can place")
        else:
            triage_reason = "no place of exploitation and no current address of the victim given"
        if suggested:
            triage_reason += "; linked to " + ", ".join(f["force"] for f in suggested)
    elif unplaced:
        notes.append(f"{len(unplaced)} place(s) could not be put in a force area: {places}")
    return {
        "report_id": rid, "report_key": report["report_key"], "kind": report["kind"],
        "source_ref": report["source_ref"], "version": report.get("version"),
        "priority": M.IMMEDIATE if priority_reasons else M.ROUTINE,
        "priority_reasons": priority_reasons, "child_involved": child,
        "forces": routed, "triage_reason": triage_reason, "suggested_forces": suggested,
        "notes": notes, "submitting_force": report.get("force"),
        "entities": {"suspects": sorted(suspects), "venues": sorted(venues)},
        "handling": report.get("handling"), "conditions": report.get("conditions"),
    }


def _current_address(victim: dict, ctx: Context, report_id: str) -> tuple[dict, list[dict]] | None:
    """(the report, its LIVES_AT locations) with the victim's most recent address."""
    eid = ctx.entity_of.get(victim["record_id"])
    people = [ctx.records[r] for r in ctx.entity_records.get(eid, ()) if r in ctx.records] if eid else []
    if victim["record_id"] not in {p["record_id"] for p in people}:
        people.append(victim)
    best: tuple | None = None
    for p in people:
        if not ctx.latest(p["report_id"]) and p["report_id"] != report_id:
            continue
        locs = [ctx.records[l["dst"]] for l in ctx.links_from.get(p["record_id"], ())
                if l["link_type"] == LinkType.LIVES_AT and l["dst"] in ctx.records]
        if not locs:
            continue
        rep = ctx.reports.get(p["report_id"])
        if rep is None:
            continue
        key = _recency(rep)
        if best is None or key > best[0]:
            best = (key, rep, sorted(locs, key=lambda r: r["record_id"]))
    return None if best is None else (best[1], best[2])


def _suspects_and_venues(records: list[dict], ctx: Context) -> tuple[set[str], set[str]]:
    suspects, venues = set(), set()
    for r in records:
        eid = ctx.entity_of.get(r["record_id"])
        if eid is None:
            continue
        if r["record_type"] == "person" and r.get("role") in OFFENDERS:
            suspects.add(eid)
        elif r["record_type"] == "location" and r.get("role") in (Role.EXPLOITATION, Role.VENUE) \
                and r.get("use") not in BENIGN_USES:
            venues.add(eid)
        elif r["record_type"] == "business" and r.get("role") == Role.VENUE:
            venues.add(eid)
    return suspects, venues


def _linkers(records: list[dict], links: list[dict]) -> list[dict]:
    """The records through which a report can link to an existing network: not the victim and
    what is only the victim's own (home, phones, email, vehicles, accounts: they recur with the
    victim, which is not a network), not the referrer, not benign places."""
    victims = {r["record_id"] for r in records if r.get("role") == Role.VICTIM}
    own: set[str] = set()
    others: set[str] = set()
    for l in links:
        if l["src"] in victims and l["link_type"] in VICTIMS_OWN:
            own.add(l["dst"])
        elif l["src"] not in victims:
            others.add(l["dst"])
    own -= others
    return [r for r in records
            if r["record_id"] not in victims and r["record_id"] not in own
            and r.get("role") not in (Role.REFERRER, Role.RESIDENCE, Role.SAFE_HOUSE)
            and not (r["record_type"] == "location" and r.get("use") in BENIGN_USES)]


def _linked_networks(records: list[dict], ctx: Context, report: dict) -> list[tuple[dict, dict]]:
    """Existing networks that an entity of this report, also seen in another report, belongs to."""
    if not ctx.networks_available:
        return []
    report_key = report["report_key"]
    out: dict[str, tuple[dict, dict]] = {}
    covered: set[str] = set()
    for r in sorted(_linkers(records, ctx.links_of_report.get(report["report_id"], [])),
                    key=lambda r: r["record_id"]):
        eid = ctx.entity_of.get(r["record_id"])
        if eid is None or eid in covered or not (ctx.report_keys_of_entity(eid) - {report_key}):
            continue
        net = ctx.network(eid)
        if net is None:
            continue
        covered.update(net["entity_ids"])
        what = f"{r.get('role') or r['record_type']} {r['record_type']}".replace("_", " ")
        out.setdefault(net["network_id"], (net, {"entity_id": eid, "what": what}))
    return list(out.values())


# -- turning decisions into documents ---------------------------------------------------------

def _new_dispatch(decision: dict, report: dict, force: str, reasons: list[dict], *, by: str,
                  now: datetime, deadlines: M.Deadlines, supersedes: str | None) -> dict:
    did = M.dispatch_id_for(decision["report_id"], force)
    return {
        "dispatch_id": did, "report_id": decision["report_id"], "report_ids": [decision["report_id"]],
        "report_key": decision["report_key"], "source_ref": decision["source_ref"],
        "kind": decision["kind"], "version": decision.get("version"),
        "organisation": report.get("organisation"), "force": force, "force_name": force_name(force),
        "status": M.PENDING, "priority": decision["priority"],
        "priority_reasons": list(decision["priority_reasons"]), "reasons": reasons,
        "handling": report.get("handling"), "conditions": report.get("conditions"),
        "child_involved": bool(decision.get("child_involved")),
        "received_at": M.iso(report.get("received_at")),
        "reported_at": str(report["reported_at"]) if report.get("reported_at") else None,
        "created_at": M.iso(now), "created_by": by, "updated_at": M.iso(now),
        "deadline": M.iso(deadlines.due(decision["priority"], now)),
        "sent_at": None, "acknowledged_at": None, "rejected_at": None,
        "history": [{"status": M.PENDING, "by": by, "at": M.iso(now),
                     "reason": "; ".join(r["detail"] for r in reasons)}],
        "entities": decision["entities"], "supersedes": supersedes,
        "delivery": {"round": 1, "idempotency_key": M.idempotency_key(did, 1), "attempts": 0,
                     "last_attempt_at": None, "last_error": None, "next_attempt_at": M.iso(now),
                     "delivered_at": None, "gave_up": False, "target": None},
    }


def _triage_item(decision: dict, *, basis: str, reason: str, by: str, now: datetime,
                 dispatch: dict | None = None) -> dict:
    tid = M.triage_id_for(decision["report_id"], dispatch_id=dispatch["dispatch_id"] if dispatch else None)
    return {
        "triage_id": tid, "status": "open", "basis": basis, "reason": reason,
        "report_id": decision["report_id"], "report_key": decision["report_key"],
        "source_ref": decision["source_ref"], "kind": decision["kind"],
        "priority": decision["priority"], "priority_reasons": decision.get("priority_reasons") or [],
        "dispatch_id": dispatch["dispatch_id"] if dispatch else None,
        "force": dispatch["force"] if dispatch else None,
        "notes": decision.get("notes") or [], "submitting_force": decision.get("submitting_force"),
        "suggested_forces": decision.get("suggested_forces") or [],
        "at": M.iso(now), "by": by, "closed_at": None, "closed_by": None, "closed_reason": None,
    }


def _close(item: dict, *, by: str, now: datetime, reason: str) -> dict:
    return {**item, "status": "closed", "closed_at": M.iso(now), "closed_by": by, "closed_reason": reason}


class _Writes:
    """Documents to write at the end of a run, and audit entries to append after them."""

    def __init__(self):
        self.docs: dict[str, dict[str, dict]] = defaultdict(dict)
        self.audit: list[tuple[str, dict]] = []

    def put(self, collection: str, doc_id: str, doc: dict) -> None:
        self.docs[collection][doc_id] = doc

    def flush(self, store, settings) -> None:
        # routing state last: if anything before it fails, the next run routes the report again
        # and finds the dispatches already there (their ids are deterministic).
        for coll in (DISPATCHES, OUTBOX, TRIAGE, ROUTING):
            if self.docs.get(coll):
                store.put_docs(coll, self.docs[coll])
        if self.audit:
            log = _audit(settings)
            for action, fields in self.audit:
                log.append(action, **fields)


def _audit(settings):
    from linkage.audit import AuditLog

    return AuditLog(settings.audit_file())


def _apply(decision: dict, report: dict, ctx: Context, writes: _Writes, *, by: str, now: datetime,
           config: DeliveryConfig, routing: dict, triage: dict[str, dict], outbox: dict[str, dict]) -> None:
    """Dispatches, outbox items, triage item and routing state for one decision."""
    key = decision["report_key"]
    # earlier versions of this report: undelivered dispatches are superseded, triage closed
    previous: dict[str, dict] = {}
    for d in list(ctx.dispatches.values()):
        if d.get("report_key") != key or d["report_id"] == decision["report_id"]:
            continue
        previous.setdefault(d["force"], d)
        if d["status"] in (M.PENDING, M.FAILED):
            why = f"superseded by version {decision.get('version')} of the report"
            d2 = M.transition(d, M.SUPERSEDED, by=by, at=now, reason=why)
            ctx.dispatches[d2["dispatch_id"]] = d2
            writes.put(DISPATCHES, d2["dispatch_id"], d2)
            item = outbox.get(d["delivery"]["idempotency_key"])
            if item is not None:
                writes.put(OUTBOX, item["key"], cancel_item(item, at=now, reason=why))
    for t in triage.values():
        if t.get("report_key") == key and t["status"] == "open" and t["report_id"] != decision["report_id"]:
            writes.put(TRIAGE, t["triage_id"], _close(
                t, by=by, now=now, reason=f"superseded by version {decision.get('version')} of the report"))
    dispatch_ids, created = [], []
    for entry in decision["forces"]:
        force = entry["force"]
        did = M.dispatch_id_for(decision["report_id"], force)
        dispatch_ids.append(did)
        if did in ctx.dispatches:  # written by a run that stopped before its routing state
            continue
        sup = previous.get(force)
        d = _new_dispatch(decision, report, force, entry["reasons"], by=by, now=now,
                          deadlines=config.deadlines, supersedes=sup["dispatch_id"] if sup else None)
        ctx.dispatches[did] = d
        ctx.index_dispatch(d)
        writes.put(DISPATCHES, did, d)
        item = outbox_item(d, report, now=now)
        writes.put(OUTBOX, item["key"], item)
        created.append(("dispatch_create", {
            "actor": by, "subject": did, "report_id": d["report_id"], "source_ref": d["source_ref"],
            "to_force": force, "priority": d["priority"], "deadline": d["deadline"],
            "handling": d["handling"], "conditions": d["conditions"],
            "idempotency_key": item["key"], "reasons": [r["detail"] for r in entry["reasons"]],
            "supersedes": d["supersedes"]}))
    triage_id = None
    if decision["triage_reason"]:
        t = _triage_item(decision, basis="unlocatable", reason=decision["triage_reason"], by=by, now=now)
        triage_id = t["triage_id"]
        if triage_id not in triage:
            writes.put(TRIAGE, triage_id, t)
    decision["dispatch_ids"] = dispatch_ids
    decision["triage_id"] = triage_id
    decision["assessed_at"] = M.iso(now)
    decision["assessed_by"] = by
    state = routing.get(key) or {"report_key": key, "versions": []}
    writes.put(ROUTING, key, {**state, "report_id": decision["report_id"], "version": decision.get("version"),
                              "assessed_at": M.iso(now), "assessed_by": by, "decision": decision,
                              "versions": list(state.get("versions") or []) + [decision["report_id"]]})
    writes.audit.append(("route_assess", {
        "actor": by, "subject": decision["source_ref"], "report_id": decision["report_id"],
        "kind": decision["kind"], "priority": decision["priority"],
        "priority_reasons": decision["priority_reasons"],
        "forces": {f["force"]: [r["detail"] for r in f["reasons"]] for f in decision["forces"]},
        "dispatch_ids": dispatch_ids, "triage_id": triage_id, "triage_reason": decision["triage_reason"],
        "notes": decision["notes"]}))
    writes.audit.extend(created)


# -- the public API --------------------------------------------------------------------------

def _by(by: str | None) -> str:
    if not by or not str(by).strip():
        raise UserError("say who is doing this (--by NAME)")
    return str(by).strip()


def _latest_reports(store) -> dict[str, dict]:
    return mark_superseded(store.reports_between(*ALL_TIME))


def _unrouted(reports: dict[str, dict], routing: dict[str, dict]) -> list[dict]:
    todo = [r for r in reports.values()
            if r["kind"] in ROUTABLE_KINDS and not r.get("superseded")
            and (routing.get(r["report_key"]) or {}).get("report_id") != r["report_id"]]
    todo.sort(key=lambda r: (str(r.get("received_at") or ""), r["report_id"]))  # oldest first
    return todo


def _route(store, settings, reports: dict[str, dict], todo: list[dict], *, by: str, now: datetime,
           dry_run: bool, config: DeliveryConfig, routing: dict[str, dict]) -> list[dict]:
    ctx = Context(store, reports)
    full = {r["report_id"]: r for r in store.reports([t["report_id"] for t in todo])} if not dry_run else {}
    triage = store.list_docs(TRIAGE)
    outbox = store.list_docs(OUTBOX) if not dry_run else {}
    writes = _Writes()
    decisions = []
    for rep in todo:
        decision = assess(rep, ctx)
        decision["dry_run"] = dry_run
        if dry_run:
            decision.update(dispatch_ids=[M.dispatch_id_for(rep["report_id"], f["force"]) for f in decision["forces"]],
                            triage_id=None, assessed_at=M.iso(now), assessed_by=by)
            # later reports in the same run see these as standing dispatches
            for f in decision["forces"]:
                ctx.index_dispatch({"status": M.PENDING, "entities": decision["entities"], "force": f["force"],
                                    "reasons": f["reasons"], "created_at": M.iso(now),
                                    "report_key": rep["report_key"], "kind": rep["kind"],
                                    "source_ref": rep["source_ref"],
                                    "dispatch_id": M.dispatch_id_for(rep["report_id"], f["force"])})
        else:
            _apply(decision, full.get(rep["report_id"], rep), ctx, writes, by=by, now=now, config=config,
                   routing=routing, triage=triage, outbox=outbox)
        decisions.append(decision)
    if dry_run:
        _audit(settings).append("route_dry_run", actor=by, assessed=len(decisions),
                                report_ids=[d["report_id"] for d in decisions])
    else:
        writes.flush(store, settings)
    return decisions


def route_all(store, settings, *, dry_run: bool = False, by: str, now: datetime | None = None,
              deliver: bool = True) -> list[dict]:
    """Route every NRM form, Duty to Notify and partner referral not routed yet (a new version of
    a report is routed again). Returns the decisions; with `deliver`, due outbox items are then
    delivered (the new dispatches and any retries whose time has come)."""
    by = _by(by)
    now = M.now_utc(now)
    config = DeliveryConfig.load(settings.delivery_config)
    with M.LOCK:
        reports = _latest_reports(store)
        routing = store.list_docs(ROUTING)
        todo = _unrouted(reports, routing)
        decisions = _route(store, settings, reports, todo, by=by, now=now, dry_run=dry_run,
                           config=config, routing=routing) if todo else []
    if deliver and not dry_run:
        deliver_due(store, settings, now=now, config=config)
    return decisions


def route_report(store, settings, report_id: str, *, by: str, dry_run: bool = False,
                 now: datetime | None = None, deliver: bool = True) -> dict:
    """Route one report version (the latest of its report). A version routed before is not
    routed again: its decision is returned with `already_routed`."""
    by = _by(by)
    now = M.now_utc(now)
    config = DeliveryConfig.load(settings.delivery_config)
    with M.LOCK:
        reports = _latest_reports(store)
        rep = reports.get(report_id)
        if rep is None:
            raise NotFound(f"no report {report_id}")
        if rep["kind"] not in ROUTABLE_KINDS:
            raise UserError(f"report {report_id} is an {rep['kind']} report; only "
                            f"{', '.join(ROUTABLE_KINDS)} reports are routed")
        if rep.get("superseded"):
            latest = max((r for r in reports.values() if r["report_key"] == rep["report_key"]),
                         key=lambda r: r["version"])
            raise UserError(f"report {report_id} has a newer version: route {latest['report_id']}")
        routing = store.list_docs(ROUTING)
        state = routing.get(rep["report_key"]) or {}
        if state.get("report_id") == report_id:
            return {**state["decision"], "already_routed": True}
        decision = _route(store, settings, reports, [rep], by=by, now=now, dry_run=dry_run,
                          config=config, routing=routing)[0]
    if deliver and not dry_run:
        deliver_due(store, settings, now=now, config=config)
    return decision


def list_dispatches(store, *, force: str | None = None, status: str | Iterable[str] | None = None,
                    overdue: bool = False, now: datetime | None = None) -> list[dict]:
    """Dispatches (optionally of one force, in some statuses, or only the overdue), oldest first,
    each with `overdue` and `timings` as of `now`."""
    now = M.now_utc(now)
    code = None
    if force is not None:
        code = force_code(force)
        if code is None:
            raise UserError(f"unknown force {force!r}: use a force code such as west-midlands")
    statuses = M.as_statuses(status)
    out = []
    for d in store.list_docs(DISPATCHES).values():
        if not M.matches(d, force=code, statuses=statuses):
            continue
        view = M.public_view(d, now)
        if overdue and not view["overdue"]:
            continue
        out.append(view)
    out.sort(key=lambda d: (d.get("created_at") or "", d["dispatch_id"]))
    return out


def _get(store, dispatch_id: str) -> dict:
    d = store.get_doc(DISPATCHES, dispatch_id)
    if d is None:
        raise NotFound(f"no dispatch {dispatch_id}")
    return d


def _cancel_outbox(store, d: dict, now: datetime, reason: str) -> None:
    key = (d.get("delivery") or {}).get("idempotency_key")
    item = store.get_doc(OUTBOX, key) if key else None
    if item is not None and item["status"] not in ("delivered", "cancelled"):
        store.put_docs(OUTBOX, {key: cancel_item(item, at=now, reason=reason)})


def ack_dispatch(store, settings, dispatch_id: str, *, by: str, reason: str | None = None,
                 now: datetime | None = None) -> dict:
    """The force has received the referral and will act on it."""
    by = _by(by)
    now = M.now_utc(now)
    with M.LOCK:
        d = M.transition(_get(store, dispatch_id), M.ACKNOWLEDGED, by=by, at=now, reason=reason)
        store.put_docs(DISPATCHES, {dispatch_id: d})
        _cancel_outbox(store, d, now, "acknowledged")
    _audit(settings).append("dispatch_ack", actor=by, subject=dispatch_id, source_ref=d["source_ref"],
                            report_id=d["report_id"], to_force=d["force"], reason=reason,
                            overdue=bool(M.timings(d)["acknowledged_late"]))
    return M.public_view(d, now)


def reject_dispatch(store, settings, dispatch_id: str, *, by: str, reason: str,
                    now: datetime | None = None) -> dict:
    """The force says it is not theirs; the referral goes back to the hub's triage queue."""
    by = _by(by)
    if not reason or not reason.strip():
        raise UserError("a rejection needs a reason (--reason)")
    now = M.now_utc(now)
    with M.LOCK:
        d = M.transition(_get(store, dispatch_id), M.REJECTED, by=by, at=now, reason=reason)
        decision = {k: d.get(k) for k in ("report_id", "report_key", "source_ref", "kind", "priority",
                                          "priority_reasons")}
        t = _triage_item(decision, basis="rejected", by=by, now=now, dispatch=d,
                         reason=f"rejected by {d['force']}: {reason}")
        store.put_docs(DISPATCHES, {dispatch_id: d})
        store.put_docs(TRIAGE, {t["triage_id"]: t})
        _cancel_outbox(store, d, now, "rejected")
    _audit(settings).append("dispatch_reject", actor=by, subject=dispatch_id, source_ref=d["source_ref"],
                            report_id=d["report_id"], to_force=d["force"], reason=reason,
                            triage_id=t["triage_id"])
    return M.public_view(d, now)


def resend_dispatch(store, settings, dispatch_id: str, *, by: str, now: datetime | None = None,
                    deliver: bool = True) -> dict:
    """Deliver a dispatch again. A failed one is retried under the same idempotency key (the force
    may have it already); a sent or rejected one gets a new key, so the force takes it again."""
    by = _by(by)
    now = M.now_utc(now)
    with M.LOCK:
        d = _get(store, dispatch_id)
        if d["status"] == M.PENDING:
            raise UserError(f"dispatch {dispatch_id} is already waiting to be delivered")
        M.check_transition(d, M.PENDING)
        report = store.report(d["report_id"])
        if report is None:
            raise NotFound(f"the report {d['report_id']} of dispatch {dispatch_id} is no longer in the store")
        delivery = dict(d.get("delivery") or {})
        old_key = delivery.get("idempotency_key")
        if d["status"] != M.FAILED:
            delivery["round"] = int(delivery.get("round") or 1) + 1
            delivery["idempotency_key"] = M.idempotency_key(dispatch_id, delivery["round"])
        delivery.update(attempts=0, gave_up=False, last_error=None, next_attempt_at=M.iso(now))
        was = d["status"]
        d = M.transition({**d, "delivery": delivery}, M.PENDING, by=by, at=now,
                         reason=f"resent (was {was})")
        docs_outbox = {}
        if old_key and old_key != delivery["idempotency_key"]:
            old = store.get_doc(OUTBOX, old_key)
            if old is not None:
                docs_outbox[old_key] = cancel_item(old, at=now, reason="resent under a new key")
        docs_outbox[delivery["idempotency_key"]] = outbox_item(d, report, now=now)
        store.put_docs(DISPATCHES, {dispatch_id: d})
        store.put_docs(OUTBOX, docs_outbox)
        closed = []
        for t in store.list_docs(TRIAGE).values():
            if t.get("dispatch_id") == dispatch_id and t["status"] == "open":
                closed.append(_close(t, by=by, now=now, reason="dispatch resent"))
        if closed:
            store.put_docs(TRIAGE, {t["triage_id"]: t for t in closed})
    _audit(settings).append("dispatch_resend", actor=by, subject=dispatch_id, source_ref=d["source_ref"],
                            report_id=d["report_id"], to_force=d["force"], was=was,
                            idempotency_key=delivery["idempotency_key"],
                            closed_triage=[t["triage_id"] for t in closed])
    if deliver:
        deliver_due(store, settings, now=now)
        d = _get(store, dispatch_id)
    return M.public_view(d, now)


def triage_queue(store, *, include_closed: bool = False) -> list[dict]:
    """Referrals the hub must place by hand: no locatable place, or rejected by a force.
    Immediate first, then oldest first."""
    items = [t for t in store.list_docs(TRIAGE).values() if include_closed or t["status"] == "open"]
    items.sort(key=lambda t: (t["status"] != "open", t.get("priority") != M.IMMEDIATE, t.get("at") or "",
                              t["triage_id"]))
    return items


def _get_triage(store, triage_id: str) -> dict:
    t = store.get_doc(TRIAGE, triage_id)
    if t is None:
        raise NotFound(f"no triage item {triage_id}")
    if t["status"] != "open":
        raise UserError(f"triage item {triage_id} is already closed ({t.get('closed_reason')})")
    return t


def assign_triage(store, settings, triage_id: str, *, force: str, by: str, reason: str,
                  now: datetime | None = None, deliver: bool = True) -> dict:
    """The hub places a triage item with a force by hand: a dispatch with the analyst's reason."""
    by = _by(by)
    if not reason or not reason.strip():
        raise UserError("say why this force (--reason)")
    code = force_code(force)
    if code is None:
        raise UserError(f"unknown force {force!r}: use a force code such as west-midlands")
    now = M.now_utc(now)
    config = DeliveryConfig.load(settings.delivery_config)
    with M.LOCK:
        t = _get_triage(store, triage_id)
        report = store.report(t["report_id"])
        if report is None:
            raise NotFound(f"the report {t['report_id']} is no longer in the store")
        did = M.dispatch_id_for(t["report_id"], code)
        existing = store.get_doc(DISPATCHES, did)
        if existing is not None:
            hint = ("use `linkage dispatch resend`" if existing["status"] == M.REJECTED
                    else "it is already there")
            raise UserError(f"this report already has dispatch {did} to {code} ({existing['status']}): {hint}")
        state = store.get_doc(ROUTING, t["report_key"]) or {}
        entities = ((state.get("decision") or {}).get("entities")) or {"suspects": [], "venues": []}
        decision = {"report_id": t["report_id"], "report_key": t["report_key"], "source_ref": t["source_ref"],
                    "kind": t["kind"], "version": report.get("version"), "priority": t.get("priority") or M.ROUTINE,
                    "priority_reasons": t.get("priority_reasons") or [], "entities": entities}
        reasons = [{"basis": MANUAL, "detail": f"placed by the hub ({by}): {reason}"}]
        d = _new_dispatch(decision, report, code, reasons, by=by, now=now, deadlines=config.deadlines,
                          supersedes=None)
        item = outbox_item(d, report, now=now)
        store.put_docs(DISPATCHES, {did: d})
        store.put_docs(OUTBOX, {item["key"]: item})
        store.put_docs(TRIAGE, {triage_id: _close(t, by=by, now=now, reason=f"assigned to {code}: {reason}")})
    log = _audit(settings)
    log.append("triage_assign", actor=by, subject=t["source_ref"], triage_id=triage_id,
               report_id=t["report_id"], to_force=code, reason=reason, dispatch_id=did)
    log.append("dispatch_create", actor=by, subject=did, report_id=d["report_id"], source_ref=d["source_ref"],
               to_force=code, priority=d["priority"], deadline=d["deadline"], handling=d["handling"],
               conditions=d["conditions"], idempotency_key=item["key"], reasons=[r["detail"] for r in reasons],
               supersedes=None)
    if deliver:
        deliver_due(store, settings, now=now, config=config)
        d = _get(store, did)
    return M.public_view(d, now)


def close_triage(store, settings, triage_id: str, *, by: str, reason: str, now: datetime | None = None) -> dict:
    """The hub decides no force needs this (a duplicate, not a police matter ...)."""
    by = _by(by)
    if not reason or not reason.strip():
        raise UserError("closing a triage item needs a reason (--reason)")
    now = M.now_utc(now)
    with M.LOCK:
        t = _close(_get_triage(store, triage_id), by=by, now=now, reason=reason)
        store.put_docs(TRIAGE, {triage_id: t})
    _audit(settings).append("triage_close", actor=by, subject=t["source_ref"], triage_id=triage_id,
                            report_id=t["report_id"], reason=reason)
    return t


def dispatch_stats(store, *, now: datetime | None = None) -> dict:
    """Per force: counts by status, overdue, and median/max hours received -> assessed -> sent ->
    acknowledged."""
    return M.stats(store.list_docs(DISPATCHES).values(), M.now_utc(now))


def routing_state(store, report_key: str) -> dict | None:
    return store.get_doc(ROUTING, report_key)


def unresolved_count(store) -> int:
    """Records not resolved yet: routing follows victims and owners through entities."""
    try:
        return len(store.records(unresolved_only=True))
    except LinkageError:
        return 0
