"""The planted facts are true of the reports: each is checked against what the reports say,
joined to the truth, the way an analytics test would find it."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

import pytest

from linkage.generate.geography import DISTRICTS
from linkage.model import BENIGN_USES, force_code
from tests.generate.conftest import AS_OF
from tests.generate.report_walk import fold, objects, people, phone_e164, postcode_of


@pytest.fixture(scope="session")
def facts(world, truth_by_report):
    """What the reports say, by true entity: where each location is, who had which role where,
    which reports mention which locations, and who is linked to what."""
    f = {
        "force_of": defaultdict(set),        # location id -> forces from its postcodes
        "reports_of": defaultdict(set),      # location id -> {(kind, source_ref)}
        "day_of": {},                        # (kind, source_ref) -> reported_at
        "use_of": defaultdict(set),          # location id -> uses given
        "roles": defaultdict(set),           # person id -> {(role, report key)}
        # connector id -> venue ids (OPERATES_AT, business phones, PAID_INTO)
        "adjacent": defaultdict(set),
        "mentions": defaultdict(list),       # person id -> [(report, person dict)]
    }
    for report in world.reports:
        key = (report["kind"], report["source_ref"])
        truth = truth_by_report[key]
        tid = {ref: row["true_entity"] for ref, row in truth.items()}
        f["day_of"][key] = date.fromisoformat(report["reported_at"])
        for _, kind, obj in objects(report):
            true = tid[obj["ref"]]
            if kind == "location":
                pc = postcode_of(obj)
                if pc:
                    f["force_of"][true].add(DISTRICTS[pc.split()[0]].force)
                f["reports_of"][true].add(key)
                if obj.get("use"):
                    f["use_of"][true].add(obj["use"])
            elif kind == "business":
                for ph in obj.get("phones", []):
                    f["adjacent"][tid[phone_e164(ph)]].add(true)
        for _, p in people(report):
            f["roles"][tid[p["ref"]]].add((p["role"], key))
            f["mentions"][tid[p["ref"]]].append((report, p))
        for link in report["links"]:
            if link["type"] == "OPERATES_AT" and link["to"] in tid:
                f["adjacent"][tid[link["from"]]].add(tid[link["to"]])
            if link["type"] == "PAID_INTO" and link["from"] in tid:
                f["adjacent"][tid[link["to"]]].add(tid[link["from"]])
    return f


def test_planted_file_has_every_section(world):
    p = world.planted
    assert p["as_of"] == AS_OF.isoformat()
    for key in ("ocgs", "linked_venues", "benign_hubs", "repeat_locations", "section45",
                "child_victims", "relocated_victims", "under_order"):
        assert p[key], f"nothing planted under {key}"
    assert p["routing"]["two_force_nrm"] and p["routing"]["unlocatable"]


def test_groups_scale_with_reports_and_cross_border_groups_span_forces(world, facts):
    ocgs = world.planted["ocgs"]
    assert len(ocgs) == round(2500 / 150)
    assert any(o["cross_border"] for o in ocgs) and not all(o["cross_border"] for o in ocgs)
    for o in ocgs:
        forces = set()
        for v in o["venues"]:
            if v.startswith("L"):
                forces |= facts["force_of"][v]
        assert forces == set(o["forces"]), o["id"]
        assert o["cross_border"] == (len(forces) >= 2)
        assert all(force_code(x) == x for x in forces)
        assert len(o["exploiters"]) >= 2 and o["victims"] and o["phones"]


def test_hubs_recur_more_than_any_venue(world, facts):
    venues = {v for o in world.planted["ocgs"] for v in o["venues"] if v.startswith("L")}
    busiest_venue = max(len(facts["reports_of"][v]) for v in venues)
    hubs = world.planted["benign_hubs"]
    assert {h["use"] for h in hubs} >= {"safe_house", "police_station"}
    for h in hubs:
        assert h["use"] in BENIGN_USES
        assert facts["use_of"][h["true_entity"]] == {h["use"]}
        assert len(facts["reports_of"][h["true_entity"]]) == h["reports"] > busiest_venue


def test_hubs_see_victims_of_several_groups(world, facts):
    group_of = {v: o["id"] for o in world.planted["ocgs"] for v in o["victims"]}
    for h in world.planted["benign_hubs"]:
        groups = {group_of.get(pid) for pid, roles in facts["roles"].items()
                  for role, key in roles if role == "victim" and key in facts["reports_of"][h["true_entity"]]}
        assert len(groups - {None}) >= 2, h


def test_section45_people_are_victims_in_one_report_and_suspects_in_another(world, facts):
    for pid in world.planted["section45"]:
        roles = facts["roles"][pid]
        as_victim = {k for r, k in roles if r == "victim"}
        as_offender = {k for r, k in roles if r in ("suspect", "exploiter")}
        assert as_victim and as_offender and as_offender - as_victim, pid
    planted = set(world.planted["section45"])
    for pid, roles in facts["roles"].items():
        if {r for r, _ in roles} & {"victim"} and {r for r, _ in roles} & {"suspect", "exploiter"}:
            assert pid in planted, f"{pid} is a victim and an offender but not planted"


def test_linked_venues_are_tied_to_their_connector_by_the_reports(world, facts):
    assert world.planted["linked_venues"]
    kinds = set()
    for a, b, connector in world.planted["linked_venues"]:
        assert a != b
        assert {a, b} <= facts["adjacent"][connector], (a, b, connector)
        kinds.add(re.match(r"[A-Z]+", connector).group())
    assert kinds >= {"P", "PH"}


def test_repeat_locations_lead_every_other_non_benign_place_in_the_last_60_days(world, facts):
    since = AS_OF - timedelta(days=60)
    recent = {loc: sum(1 for k in keys if facts["day_of"][k] >= since)
              for loc, keys in facts["reports_of"].items()}
    hubs = {h["true_entity"] for h in world.planted["benign_hubs"]}
    planted = {r["true_entity"]: r for r in world.planted["repeat_locations"]}
    others = max(n for loc, n in recent.items() if loc not in planted and loc not in hubs)
    for loc, r in planted.items():
        assert recent[loc] == r["reports_in_last_60_days"] > others
        assert r["force"] in facts["force_of"][loc]


def test_children_are_under_18_and_only_in_nrm_or_referrals(world, facts):
    children = set(world.planted["child_victims"])
    for pid in children:
        for report, p in facts["mentions"][pid]:
            assert report["kind"] != "dtn"
            if report["kind"] == "nrm" and p["role"] == "victim":
                assert p["is_child"] is True
            if "age" in p:
                assert p["age"] < 18
            if report["kind"] == "referral":
                assert report["child_involved"] is True
    nrm = [r for r in world.reports if r["kind"] == "nrm"]
    share = sum(r["victim"]["is_child"] for r in nrm) / len(nrm)
    assert 0.08 < share < 0.25, share


def test_relocated_victims_have_a_later_residence_in_another_force(world, facts):
    for row in world.planted["relocated_victims"]:
        pid = row["true_entity"]
        nrm_days = [date.fromisoformat(r["reported_at"]) for r, p in facts["mentions"][pid]
                    if r["kind"] == "nrm" and p["role"] == "victim"]
        assert nrm_days
        later = []
        for report, p in facts["mentions"][pid]:
            for a in p.get("addresses", []):
                pc = postcode_of(a)
                if a.get("use") in ("residence", "safe_house") and pc:
                    later.append((date.fromisoformat(report["reported_at"]),
                                  DISTRICTS[pc.split()[0]].force))
        assert any(day > min(nrm_days) and force == row["to_force"] for day, force in later), row
        assert row["from_force"] != row["to_force"]


def test_routing_cases(world, truth_by_report):
    by_ref = {(r["kind"], r["source_ref"]): r for r in world.reports}
    loc_force = {}
    for report in world.reports:
        truth = truth_by_report[(report["kind"], report["source_ref"])]
        tid = {ref: t["true_entity"] for ref, t in truth.items()}
        for _, kind, obj in objects(report):
            if kind == "location" and postcode_of(obj):
                loc_force[tid[obj["ref"]]] = DISTRICTS[postcode_of(obj).split()[0]].force
    two_force = set()
    for report in world.reports:
        if report["kind"] != "nrm":
            continue
        tid = {ref: t["true_entity"] for ref, t in truth_by_report[("nrm", report["source_ref"])].items()}
        forces = {loc_force.get(tid[loc["ref"]]) for loc in report["exploitation"]["locations"]}
        if len(forces - {None}) >= 2:
            two_force.add(report["source_ref"])
        elif report["source_ref"] in world.planted["routing"]["two_force_nrm"]:
            # planted from the truth: one of its places never gives a postcode in any report
            assert None in forces
    assert two_force <= set(world.planted["routing"]["two_force_nrm"])
    unlocatable = set()
    for (kind, ref), report in by_ref.items():
        if kind in ("dtn", "referral") and not any(k == "location" for _, k, _ in objects(report)):
            assert not re.search(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", report["narrative"])
            unlocatable.add(ref)
    assert unlocatable == set(world.planted["routing"]["unlocatable"])


def test_orders_name_people_who_are_still_reported(world, facts):
    rows = {o["full_name"]: o for o in world.orders}
    assert len(world.orders) == len(world.planted["under_order"])
    for pid, order in zip(world.planted["under_order"], world.orders):
        assert order["order_type"] in ("STPO", "STRO")
        assert force_code(order["force"]) == order["force"]
        made, expires = date.fromisoformat(order["made_on"]), date.fromisoformat(order["expires_on"])
        assert made < AS_OF < expires
        mentions = facts["mentions"][pid]
        intel_after = [r for r, _ in mentions if r["kind"] == "intel"
                       and date.fromisoformat(r["reported_at"]) > made]
        assert intel_after, order
        full_dobs = {p["dob"] for _, p in mentions if re.match(r"^\d{4}-\d{2}-\d{2}$", p.get("dob", ""))}
        assert full_dobs <= {order["dob"]}
        order_tokens = set(fold(order["full_name"]).split())
        names = [p.get("full_name") or f"{p.get('given_names')} {p.get('family_name')}"
                 for _, p in mentions]
        assert any(order_tokens == set(fold(n).split()) for n in names if "." not in n), order
    assert len(rows) == len(world.orders)


def test_is_child_agrees_with_the_age_on_the_report(world):
    for report in world.reports:
        if report["kind"] != "nrm":
            continue
        v = report["victim"]
        day = date.fromisoformat(report["reported_at"])
        if "age" in v and v["age"] is not None:
            assert (v["age"] < 18) == v["is_child"], report["source_ref"]
        elif re.match(r"^\d{4}-\d{2}-\d{2}$", v.get("dob", "")):
            born = date.fromisoformat(v["dob"])
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            assert (age < 18) == v["is_child"], report["source_ref"]
