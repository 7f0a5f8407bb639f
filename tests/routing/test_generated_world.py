"""The generator's planted routing cases, end to end: every NRM referral with exploitation in two
force areas reaches at least those two forces; every referral without a place is in triage, or
routed only because its victim's current address is known from another report. Nothing is
dropped: every NRM, Duty to Notify and partner referral has a decision."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from linkage.jobs.routing import ROUTABLE_KINDS, route_all, triage_queue

generate = pytest.importorskip("linkage.generate")


def test_planted_routing_cases_in_a_generated_world(hub):
    world = generate.generate_world(120, seed=5, as_of=date(2026, 9, 1))
    planted = world.planted["routing"]
    hub.load(*world.reports)
    decisions = {d["source_ref"]: d for d in route_all(
        hub.store, hub.settings, by="hub", now=datetime(2026, 9, 2, tzinfo=timezone.utc), deliver=False)}
    routable = {r["source_ref"] for r in world.reports if r["kind"] in ROUTABLE_KINDS}
    assert set(decisions) == routable
    two = 0
    for ref in planted["two_force_nrm"]:
        d = decisions[ref]
        placed = {f["force"] for f in d["forces"] if any(r["basis"] == "exploitation" for r in f["reasons"])}
        # a place given without a postcode we can place is noted on the decision, never guessed
        assert len(placed) >= 2 or any("could not be put in a force area" in n for n in d["notes"]), ref
        two += len(placed) >= 2
    assert two >= len(planted["two_force_nrm"]) // 2
    in_triage = {t["source_ref"] for t in triage_queue(hub.store)}
    for ref in planted["unlocatable"]:
        d = decisions[ref]
        bases = {r["basis"] for f in d["forces"] for r in f["reasons"]}
        assert ref in in_triage or "current_address" in bases, ref
        assert "exploitation" not in bases and "place_of_concern" not in bases
    assert {d["source_ref"] for d in decisions.values() if d["triage_reason"]} == in_triage
