"""Flags on entities, computed from the graph after every resolution.

- `section45`: a person who is a victim in one report and a suspect or exploiter in another
  (Modern Slavery Act 2015 s.45 defence; HMICFRS recommendation 5: consider it early).
- `child`: a child victim (a victim record with `is_child`, stated or from the date of birth).
- `under_order`: the subject of an active Slavery and Trafficking Prevention or Risk Order
  (STPO/STRO) from the orders list (`linkage orders import`), matched by name and date of birth
  with the resolution's own person scorer.
- `relocated`: a victim whose NRM referral or Duty to Notify placed their exploitation in one
  force area and whom a later report places living (a home or an NRM safe house) in another:
  the record must follow them.

`refresh_flags` writes them (keeping any flag other code set) and forgets the cached projection.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

from linkage.errors import UserError
from linkage.model import OFFENDER_ROLES, Role, force_code

FLAGS = ("section45", "child", "under_order", "relocated")
ORDERS = "orders"
ORDER_TYPES = ("STPO", "STRO")
ORDER_FIELDS = ("order_ref", "order_type", "full_name", "dob", "force", "made_on", "expires_on")
# record links that place a victim somewhere
PLACE_LINKS = {"LIVES_AT", "EXPLOITED_AT", "WORKS_AT"}
RESIDENCE_LINKS = {"LIVES_AT"}
# the reports that establish where a victim was exploited (a relocation is measured from them)
VICTIM_REPORTS = {"nrm", "dtn"}
# date-of-birth levels that agree with an order's date of birth (a record may hold only a year)
DOB_AGREES = {"exact", "swapped", "year_month", "year"}
_OFFENDERS = {r.value for r in OFFENDER_ROLES}


def _report_key(report_id: str) -> str:
    """The report a record came from, whichever version: "nrm-abc-v2" -> "nrm-abc"."""
    return re.sub(r"-v\d+$", "", report_id)


# -- the flags --------------------------------------------------------------------------------

def compute_flags(store, settings=None, *, today: date | None = None) -> dict[str, list[str]]:
    """entity_id -> its computed flags, for every entity that has at least one."""
    members = store.memberships(["person", "location"])
    persons = store.records("person")
    flags: dict[str, set[str]] = defaultdict(set)

    victim_reports: dict[str, set[str]] = defaultdict(set)
    offender_reports: dict[str, set[str]] = defaultdict(set)
    victim_records: dict[str, str] = {}  # record id -> entity id
    for r in persons:
        m = members.get(r["record_id"])
        if m is None:
            continue
        eid = m[0]
        if r["role"] == Role.VICTIM.value:
            victim_reports[eid].add(_report_key(r["report_id"]))
            victim_records[r["record_id"]] = eid
            if (r.get("attrs") or {}).get("is_child"):
                flags[eid].add("child")
        elif r["role"] in _OFFENDERS:
            offender_reports[eid].add(_report_key(r["report_id"]))
    for eid, vr in victim_reports.items():
        orr = offender_reports.get(eid)
        if orr and any(a != b for a in vr for b in orr):
            flags[eid].add("section45")

    for eid in relocated_victims(store, victim_records):
        flags[eid].add("relocated")

    for eids in match_orders(store, settings, today=today, persons=persons, members=members).values():
        for eid in eids:
            flags[eid].add("under_order")
    return {eid: sorted(f) for eid, f in sorted(flags.items())}


def _victim_places(store, victim_records) -> dict[str, tuple[set[str], set[str]]]:
    """victim record -> (forces it was exploited or worked in, forces it lived in)."""
    locations = {r["record_id"]: r for r in store.records("location")}
    places: dict[str, tuple[set[str], set[str]]] = {}
    for l in store.record_links():
        if l["link_type"] not in PLACE_LINKS:
            continue
        for v, p in ((l["src"], l["dst"]), (l["dst"], l["src"])):
            if v in victim_records and p in locations and locations[p].get("force"):
                worked, lived = places.setdefault(v, (set(), set()))
                (lived if l["link_type"] in RESIDENCE_LINKS else worked).add(locations[p]["force"])
    return places


def relocated_victims(store, victim_records: dict[str, str]) -> list[str]:
    """Victims who, after an NRM referral or Duty to Notify placed their exploitation in one
    force area, are reported in a later report living (a home or an NRM safe house) in a force
    area where they were not exploited: the record has to follow them there. Being exploited at
    venues in two forces is not, by itself, a move."""
    if not victim_records:
        return []
    places = _victim_places(store, victim_records)
    dates = {r["record_id"]: r.get("reported_at") for r in store.records_by_id(places)}
    trail: dict[str, list[tuple]] = defaultdict(list)
    for rid, (worked, lived) in places.items():
        trail[victim_records[rid]].append((dates.get(rid) or date.min, rid, worked, lived))
    return sorted(eid for eid, steps in trail.items() if _moved(steps))


def _moved(steps: list[tuple]) -> bool:
    """Report by report in date order: does a later report have the victim living in a force
    area where no earlier NRM referral or Duty to Notify placed their exploitation? (A safe house
    named on the referral itself is where the referral found them, not a move.)"""
    steps.sort(key=lambda s: (s[0], s[1]))
    exploited: set[str] = set()
    i = 0
    while i < len(steps):
        day = steps[i][0]
        same_day = [s for s in steps[i:] if s[0] == day]
        if exploited:
            for _d, _rid, worked, lived in same_day:
                if lived - exploited - worked:
                    return True
        for _d, rid, worked, _lived in same_day:
            if rid.split("-", 1)[0] in VICTIM_REPORTS:
                exploited |= worked
        i += len(same_day)
    return False


def relocation_trail(store, entity_id: str) -> list[dict]:
    """The forces a victim's places fell in, report by report (for display)."""
    ent = store.entity(entity_id)
    if not ent:
        return []
    recs = {r["record_id"]: r for r in ent["records"] if r["role"] == Role.VICTIM.value}
    places = _victim_places(store, {rid: entity_id for rid in recs})
    out = [{"reported_at": recs[v].get("reported_at"), "report_id": recs[v]["report_id"],
            "exploited_in": sorted(worked), "lives_in": sorted(lived)}
           for v, (worked, lived) in places.items()]
    return sorted(out, key=lambda s: (s["reported_at"] or date.min, s["report_id"]))


def refresh_flags(store, settings=None, *, today: date | None = None) -> dict:
    """Compute the flags and write every change; other flags on an entity are kept.

    `today` decides which orders are in force (default: the current date)."""
    from linkage.analytics.projection import invalidate

    computed = compute_flags(store, settings, today=today)
    mine = set(FLAGS)
    changes: dict[str, list[str]] = {}
    for e in store.all_entities():
        current = set(e.get("flags") or [])
        new = (current - mine) | set(computed.get(e["entity_id"], []))
        if new != current:
            changes[e["entity_id"]] = sorted(new)
    if changes:
        store.update_entity_flags(changes)
    invalidate(store)
    counts = Counter(f for fs in computed.values() for f in fs)
    return {"flags": {f: counts.get(f, 0) for f in FLAGS}, "entities_changed": len(changes)}


# -- orders -------------------------------------------------------------------------------------

def _parse_date(text: str | None, field: str, where: str, *, required: bool) -> str | None:
    t = (text or "").strip()
    if not t:
        if required:
            raise UserError(f"{where}: {field} is required")
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    raise UserError(f"{where}: {field} {t!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def parse_order(row: dict, where: str) -> dict:
    ref = str(row.get("order_ref") or "").strip()
    if not ref:
        raise UserError(f"{where}: order_ref is required")
    otype = str(row.get("order_type") or "").strip().upper()
    if otype not in ORDER_TYPES:
        raise UserError(f"{where}: order_type must be STPO or STRO, not {row.get('order_type')!r}")
    name = str(row.get("full_name") or "").strip()
    if not name:
        raise UserError(f"{where}: full_name is required")
    force = None
    if str(row.get("force") or "").strip():
        force = force_code(str(row["force"]))
        if force is None:
            raise UserError(f"{where}: force {row['force']!r} is not a police force code or name")
    order = {
        "order_ref": ref, "order_type": otype, "full_name": name,
        "dob": _parse_date(row.get("dob"), "dob", where, required=True),
        "force": force,
        "made_on": _parse_date(row.get("made_on"), "made_on", where, required=False),
        "expires_on": _parse_date(row.get("expires_on"), "expires_on", where, required=False),
    }
    if order["made_on"] and order["expires_on"] and order["expires_on"] < order["made_on"]:
        raise UserError(f"{where}: expires_on is before made_on")
    return order


def read_orders(path: Path) -> list[dict]:
    """Orders from a CSV (header row) or JSON Lines file; a bad row names its line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    orders = []
    stripped = text.lstrip()
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson") or stripped.startswith("{"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{path}: line {n}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise UserError(f"{path}: line {n}: expected a JSON object")
            orders.append(parse_order(row, f"{path}: line {n}"))
    else:
        reader = csv.DictReader(text.splitlines())
        missing = [f for f in ("order_ref", "order_type", "full_name", "dob") if f not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"{path}: the CSV needs the columns {', '.join(ORDER_FIELDS)} "
                            f"(missing {', '.join(missing)})")
        for n, row in enumerate(reader, start=2):
            orders.append(parse_order(row, f"{path}: line {n}"))
    refs = Counter(o["order_ref"] for o in orders)
    dup = [r for r, c in refs.items() if c > 1]
    if dup:
        raise UserError(f"{path}: order_ref {dup[0]!r} appears {refs[dup[0]]} times")
    return orders


def import_orders(store, path) -> int:
    """Load an orders list into the store's "orders" documents (replacing orders of the same ref)."""
    orders = read_orders(Path(path))
    if orders:
        store.put_docs(ORDERS, {o["order_ref"]: o for o in orders})
    return len(orders)


def active(order: dict, today: date) -> bool:
    made = order.get("made_on")
    expires = order.get("expires_on")
    t = today.isoformat()
    return (not made or made <= t) and (not expires or expires >= t)


def match_orders(store, settings=None, *, today: date | None = None,
                 orders: dict[str, dict] | None = None, persons: list[dict] | None = None,
                 members: dict | None = None) -> dict[str, list[str]]:
    """order_ref -> the person entities it names (active orders only), by name and date of birth.

    Each order becomes a person record (as `linkage resolve-file` builds one). The candidates
    are the person records whose date of birth agrees with the order's (the same day, or a
    record that gives only that month or year): a court order always has the full date of birth,
    and name blocking keys miss one-word names ("LI Li"). Each candidate is scored with the
    stored person model and accepted when its name and date of birth agree and the probability
    reaches the configured match probability. Cannot-link evidence (e.g. conflicting documents)
    refuses a match.
    """
    from linkage.resolve.config import ResolutionConfig
    from linkage.resolve.pipeline import MODEL_DOCS, fit_model
    from linkage.resolve.scoring import ScoreModel, Scorer, probability
    from linkage.resolve.standalone import row_to_record
    from linkage.resolve.types import SPECS

    orders = store.list_docs(ORDERS) if orders is None else orders
    today = today or date.today()
    live = {ref: o for ref, o in orders.items() if active(o, today)}
    if not live:
        return {}
    cfg = ResolutionConfig.load(getattr(settings, "resolution_config", None))
    spec = SPECS["person"]
    doc = store.get_doc(MODEL_DOCS, "person")
    model = ScoreModel.from_doc(doc) if doc else fit_model(spec, cfg, [], Counter())
    model.tf = {}
    scorer = Scorer(model, spec.comparisons, None)
    names = list(spec.comparisons)
    order_feats = {}
    wanted: dict[str, set[str]] = defaultdict(set)
    for ref, o in sorted(live.items()):
        rec, ctx = row_to_record({"record_id": f"order:{ref}", "full_name": o["full_name"],
                                  "dob": o.get("dob") or ""})
        dob = o.get("dob") or ""
        if not rec["attrs"]["names"] or len(dob) != 10:
            continue
        order_feats[ref] = spec.build(rec, ctx)
        for k in (dob, dob[:7], dob[:4]):
            wanted[k].add(ref)
    if not order_feats:
        return {}
    members = store.memberships(["person"]) if members is None else members
    out: dict[str, set[str]] = defaultdict(set)
    for r in store.records("person") if persons is None else persons:
        if r.get("record_type", "person") != "person":
            continue
        refs = set()
        for k in ((r.get("attrs") or {}).get("dob") or {}).get("candidates") or []:
            refs |= wanted.get(str(k), set())
        if not refs or r["record_id"] not in members:
            continue
        fr = spec.build(r, None)
        for ref in refs:
            fo = order_feats[ref]
            if spec.cannot_link(fo, fr):
                continue
            levels = dict(zip(names, scorer.levels(fo, fr)))
            if levels.get("name") in (None, "different") or levels.get("dob") not in DOB_AGREES:
                continue
            if probability(scorer.score(fo, fr)) >= cfg.match_probability:
                out[ref].add(members[r["record_id"]][0])
    return {ref: sorted(e) for ref, e in sorted(out.items())}
