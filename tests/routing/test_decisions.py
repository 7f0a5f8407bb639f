"""Which forces a referral goes to, and why: the SOCEX hub's routing decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linkage.errors import NotFound, UserError
from linkage.jobs.routing import list_dispatches, route_all, route_report, triage_queue
from tests.routing import payloads as P
from tests.routing.conftest import T0


def _by_ref(decisions):
    return {d["source_ref"]: d for d in decisions}


def _forces(decision):
    return {f["force"]: {r["basis"] for r in f["reasons"]} for f in decision["forces"]}


def test_exploitation_in_two_force_areas_yields_two_dispatches(hub):
    hub.load(P.two_force_nrm())
    decisions = route_all(hub.store, hub.settings, by="hub analyst", now=T0)
    d = _by_ref(decisions)["NRM-TWO-1"]
    assert _forces(d) == {"west-midlands": {"exploitation"}, "greater-manchester": {"exploitation"}}
    assert d["priority"] == "routine" and d["triage_reason"] is None
    dispatches = list_dispatches(hub.store, now=T0)
    assert sorted(x["force"] for x in dispatches) == ["greater-manchester", "west-midlands"]
    for x in dispatches:
        assert x["source_ref"] == "NRM-TWO-1" and x["kind"] == "nrm"
        assert x["reasons"] and all(r["basis"] == "exploitation" for r in x["reasons"])
        assert x["history"][0]["status"] == "pending" and x["history"][0]["by"] == "hub analyst"
        # the deadline for routine work is 7 days from the assessment
        assert x["deadline"] == (T0 + timedelta(days=7)).isoformat(timespec="seconds")
        assert x["timings"]["received_at"].startswith("2026-09-02T09:00")


def test_a_relocated_victim_adds_the_force_where_she_lives_now(hub):
    first, later = P.exploited_then_relocated()
    hub.load(first, later)
    d = _by_ref(route_all(hub.store, hub.settings, by="hub", now=T0))
    nrm = _forces(d["NRM-REL-1"])
    assert nrm["nottinghamshire"] == {"exploitation"}
    assert nrm["west-yorkshire"] == {"current_address"}  # from the later referral, via her entity
    reason = next(r for f in d["NRM-REL-1"]["forces"] if f["force"] == "west-yorkshire" for r in f["reasons"])
    assert "LA-REL-2" in reason["detail"] and reason["evidence_report_id"].startswith("referral-")
    # her old Nottingham address is not where she is now
    assert "current_address" not in nrm["nottinghamshire"]
    assert _forces(d["LA-REL-2"])["west-yorkshire"] == {"current_address"}


def test_a_referral_without_a_locatable_place_goes_to_triage_with_its_reason(hub):
    hub.load(P.unlocatable_dtn(), P.placeless_referral())
    d = _by_ref(route_all(hub.store, hub.settings, by="hub", now=T0))
    assert d["DTN-NOWHERE-1"]["forces"] == [] and d["CS-EMPTY-1"]["forces"] == []
    assert "none with a postcode we can place" in d["DTN-NOWHERE-1"]["triage_reason"]
    assert d["CS-EMPTY-1"]["triage_reason"] == "no place of exploitation and no current address of the victim given"
    queue = {t["source_ref"]: t for t in triage_queue(hub.store)}
    assert set(queue) == {"DTN-NOWHERE-1", "CS-EMPTY-1"}
    assert queue["DTN-NOWHERE-1"]["reason"] == d["DTN-NOWHERE-1"]["triage_reason"]
    assert all(t["status"] == "open" and t["basis"] == "unlocatable" for t in queue.values())
    assert list_dispatches(hub.store) == []


def test_a_child_or_partner_urgency_makes_it_immediate_with_a_24_hour_deadline(hub):
    urgent = P.changed(P.child_referral(), source_ref="REF-URGENT-1", child_involved=False, urgency="immediate",
                       subjects=[{"ref": "c1", "full_name": "Sam Rowe", "age": 30, "role": "victim"}])
    urgent["locations"][0].update(address="3 Mill Lane", postcode="LS9 8AB")
    hub.load(P.child_referral(), P.two_force_nrm(), urgent)
    d = _by_ref(route_all(hub.store, hub.settings, by="hub", now=T0))
    child = d["REF-CHILD-1"]
    assert child["priority"] == "immediate" and "a child is involved" in child["priority_reasons"]
    assert _forces(child) == {"kent": {"exploitation"}}
    assert d["NRM-TWO-1"]["priority"] == "routine"
    (disp,) = list_dispatches(hub.store, force="kent")
    assert disp["priority"] == "immediate"
    assert disp["deadline"] == (T0 + timedelta(hours=24)).isoformat(timespec="seconds")
    assert d["REF-URGENT-1"]["priority"] == "immediate"
    assert d["REF-URGENT-1"]["priority_reasons"] == ["the partner marked it immediate"]


def test_a_dry_run_creates_nothing_and_running_route_again_routes_nothing_twice(hub):
    hub.load(P.two_force_nrm(), P.unlocatable_dtn())
    decisions = route_all(hub.store, hub.settings, by="hub", now=T0, dry_run=True)
    assert len(decisions) == 2 and all(d["dry_run"] for d in decisions)
    assert list_dispatches(hub.store) == [] and triage_queue(hub.store) == []
    assert len(route_all(hub.store, hub.settings, by="hub", now=T0)) == 2
    assert route_all(hub.store, hub.settings, by="hub", now=T0 + timedelta(hours=1)) == []
    hub.load(P.two_force_nrm())  # the same report again: unchanged, nothing to route
    assert route_all(hub.store, hub.settings, by="hub", now=T0 + timedelta(hours=2)) == []
    assert len(list_dispatches(hub.store)) == 2 and len(triage_queue(hub.store)) == 1
    # one report by id: already routed, its decision comes back and nothing is created
    rid = list_dispatches(hub.store)[0]["report_id"]
    again = route_report(hub.store, hub.settings, rid, by="hub")
    assert again["already_routed"] and again["source_ref"] == "NRM-TWO-1" and len(again["dispatch_ids"]) == 2
    assert len(list_dispatches(hub.store)) == 2
    with pytest.raises(NotFound):
        route_report(hub.store, hub.settings, "nrm-nothing-v1", by="hub")
    with pytest.raises(UserError, match="--by"):
        route_all(hub.store, hub.settings, by=" ")


def test_a_new_version_is_reassessed_and_supersedes_what_was_not_delivered(hub):
    hub.load(P.two_force_nrm(), P.unlocatable_dtn())
    route_all(hub.store, hub.settings, by="hub", now=T0)
    # the NRM is corrected: Manchester was a mistake, it was Leeds; the DTN gains a postcode
    v2 = P.two_force_nrm()
    v2["exploitation"]["locations"][1].update(address="22 Harehills Lane", town="Leeds", postcode="LS9 6JE")
    dtn2 = P.unlocatable_dtn()
    dtn2["exploitation"]["locations"][0].update(postcode="NG1 1DT")
    hub.load(v2, dtn2)
    d = _by_ref(route_all(hub.store, hub.settings, by="hub", now=T0 + timedelta(hours=3)))
    assert set(d) == {"NRM-TWO-1", "DTN-NOWHERE-1"} and d["NRM-TWO-1"]["version"] == 2
    assert _forces(d["NRM-TWO-1"]) == {"west-midlands": {"exploitation"}, "west-yorkshire": {"exploitation"}}
    by_status = {}
    for x in list_dispatches(hub.store):
        by_status.setdefault(x["status"], []).append((x["source_ref"], x["version"], x["force"]))
    # nothing could be delivered (no targets configured): the v1 dispatches are superseded
    assert sorted(by_status["superseded"]) == [("NRM-TWO-1", 1, "greater-manchester"),
                                                ("NRM-TWO-1", 1, "west-midlands")]
    new_wm = [x for x in list_dispatches(hub.store, force="west-midlands") if x["version"] == 2][0]
    old_wm = [x for x in list_dispatches(hub.store, force="west-midlands") if x["version"] == 1][0]
    assert new_wm["supersedes"] == old_wm["dispatch_id"]
    # the DTN left triage now that it has a place
    assert triage_queue(hub.store) == []
    assert _forces(d["DTN-NOWHERE-1"]) == {"nottinghamshire": {"exploitation"}}


def test_the_same_exploiter_seen_before_brings_in_the_forces_that_own_him(hub):
    """A later partner referral names the exploiter of an earlier NRM referral, at a place in
    Kent: the forces holding the earlier dispatches (and his network's forces) are added, and
    linking to a known network makes it immediate. A victim's own later report is no network."""
    later = P.changed(P.child_referral(), source_ref="REF-SAME-X", child_involved=False,
                      received_at="2026-09-06T08:00:00Z",
                      subjects=[{"ref": "s1", "full_name": "Bogdan Marinescu", "dob": "1980-01-15",
                                 "role": "suspect", "phones": ["07700 900461"]}],
                      links=[{"from": "s1", "type": "OPERATES_AT", "to": "p1"}])
    first, relocated = P.exploited_then_relocated()
    hub.load(P.two_force_nrm(), later, first, relocated)
    # routed oldest first: the NRM's dispatches stand when the referral is assessed
    d = _by_ref(route_all(hub.store, hub.settings, by="hub", now=T0))
    forces = _forces(d["REF-SAME-X"])
    assert "exploitation" in forces["kent"]
    assert {"open_dispatch", "network"} <= forces["west-midlands"]
    assert {"open_dispatch", "network"} <= forces["greater-manchester"]
    why = next(r for f in d["REF-SAME-X"]["forces"] if f["force"] == "west-midlands"
               for r in f["reasons"] if r["basis"] == "open_dispatch")
    assert "NRM-TWO-1" in why["detail"]
    assert d["REF-SAME-X"]["priority"] == "immediate"
    assert any(p.startswith("it links to a known network: net-") for p in d["REF-SAME-X"]["priority_reasons"])
    assert d["NRM-TWO-1"]["priority"] == "immediate"  # its exploiter is in the referral already
    assert d["LA-REL-2"]["priority"] == "routine" and d["NRM-REL-1"]["priority"] == "routine"
