"""A dispatch's life: acknowledged or rejected (back to triage) by a named person at a known time,
overdue when not acknowledged in time, and the timings per force."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linkage.errors import NotFound, UserError
from linkage.jobs.routing import (
    ack_dispatch, assign_triage, dispatch_stats, list_dispatches, reject_dispatch, resend_dispatch,
    route_all, triage_queue,
)
from tests.routing import payloads as P
from tests.routing.conftest import T0


def _routed(hub, *payloads):
    hub.load(*payloads)
    route_all(hub.store, hub.settings, by="hub analyst", now=T0)
    return {d["force"]: d for d in list_dispatches(hub.store, now=T0)}


def test_ack_and_reject_record_who_and_when_and_reject_goes_back_to_triage(hub):
    d = _routed(hub, P.two_force_nrm())
    wm, gm = d["west-midlands"]["dispatch_id"], d["greater-manchester"]["dispatch_id"]
    acked = ack_dispatch(hub.store, hub.settings, wm, by="DS Patel (WMP)", now=T0 + timedelta(hours=5))
    assert acked["status"] == "acknowledged"
    assert acked["history"][-1] == {"status": "acknowledged", "by": "DS Patel (WMP)",
                                    "at": (T0 + timedelta(hours=5)).isoformat(timespec="seconds"),
                                    "reason": None}
    assert acked["timings"]["acknowledged_at"] == acked["history"][-1]["at"]

    rejected = reject_dispatch(hub.store, hub.settings, gm, by="DC Jones (GMP)",
                               reason="venue closed in 2025; address is in Salford, not ours",
                               now=T0 + timedelta(hours=6))
    assert rejected["status"] == "rejected"
    assert rejected["history"][-1]["by"] == "DC Jones (GMP)"
    assert "Salford" in rejected["history"][-1]["reason"]
    (item,) = triage_queue(hub.store)
    assert item["basis"] == "rejected" and item["dispatch_id"] == gm
    assert item["reason"].startswith("rejected by greater-manchester: venue closed")

    # invalid transitions are refused with a message
    with pytest.raises(UserError, match="cannot acknowledge .* it is rejected"):
        ack_dispatch(hub.store, hub.settings, gm, by="DC Jones (GMP)")
    with pytest.raises(UserError, match="it is acknowledged"):
        reject_dispatch(hub.store, hub.settings, wm, by="x", reason="changed my mind")
    with pytest.raises(UserError, match="reason"):
        reject_dispatch(hub.store, hub.settings, wm, by="x", reason=" ")
    with pytest.raises(NotFound):
        ack_dispatch(hub.store, hub.settings, "d-doesnotexist", by="x")

    # the hub places the rejected referral with the right force; the triage item closes
    with pytest.raises(UserError, match="resend"):
        assign_triage(hub.store, hub.settings, item["triage_id"], force="greater-manchester",
                      by="hub analyst", reason="try again")
    moved = assign_triage(hub.store, hub.settings, item["triage_id"], force="metropolitan",
                          by="hub analyst", reason="Salford address was wrong; parlour is in Camden")
    assert moved["force"] == "metropolitan" and moved["reasons"][0]["basis"] == "manual"
    assert triage_queue(hub.store) == []


def test_resend_of_a_rejected_dispatch_reopens_it_under_a_new_key(hub):
    d = _routed(hub, P.two_force_nrm())
    gm = d["greater-manchester"]
    reject_dispatch(hub.store, hub.settings, gm["dispatch_id"], by="DC Jones", reason="not ours")
    again = resend_dispatch(hub.store, hub.settings, gm["dispatch_id"], by="hub analyst",
                            now=T0 + timedelta(hours=2))
    assert [h["status"] for h in again["history"]][:3] == ["pending", "failed", "rejected"]
    assert again["history"][3]["status"] == "pending" and again["history"][3]["by"] == "hub analyst"
    assert again["delivery"]["idempotency_key"].endswith(".2")
    assert triage_queue(hub.store) == []
    ack_dispatch(hub.store, hub.settings, gm["dispatch_id"], by="DC Jones")
    with pytest.raises(UserError):
        resend_dispatch(hub.store, hub.settings, gm["dispatch_id"], by="hub analyst")


def test_dispatches_not_acknowledged_in_time_are_overdue(hub):
    d = _routed(hub, P.two_force_nrm(), P.child_referral())
    assert list_dispatches(hub.store, overdue=True, now=T0 + timedelta(hours=1)) == []
    # after 25 hours only the immediate (child) dispatch is overdue
    late = list_dispatches(hub.store, overdue=True, now=T0 + timedelta(hours=25))
    assert [x["force"] for x in late] == ["kent"] and late[0]["overdue"]
    # after 8 days the routine ones too, except what was acknowledged
    ack_dispatch(hub.store, hub.settings, d["west-midlands"]["dispatch_id"], by="DS Patel",
                 now=T0 + timedelta(days=2))
    later = list_dispatches(hub.store, overdue=True, now=T0 + timedelta(days=8))
    assert sorted(x["force"] for x in later) == ["greater-manchester", "kent"]
    assert list_dispatches(hub.store, force="greater-manchester", overdue=True, now=T0 + timedelta(days=8))
    with pytest.raises(UserError, match="unknown force"):
        list_dispatches(hub.store, force="atlantis")


def test_stats_per_force_give_stage_timings_and_counts(hub):
    d = _routed(hub, P.two_force_nrm(), P.child_referral())
    ack_dispatch(hub.store, hub.settings, d["kent"]["dispatch_id"], by="PC Ames",
                 now=T0 + timedelta(hours=10))
    ack_dispatch(hub.store, hub.settings, d["west-midlands"]["dispatch_id"], by="DS Patel",
                 now=T0 + timedelta(days=8))
    s = dispatch_stats(hub.store, now=T0 + timedelta(days=9))
    assert set(s["forces"]) == {"greater-manchester", "kent", "west-midlands"}
    kent = s["forces"]["kent"]
    assert kent["by_status"]["acknowledged"] == 1 and kent["overdue"] == 0
    # received 2026-09-05 08:00 -> assessed T0 (2026-09-10 09:00): 121 hours
    assert kent["stages"]["received_to_assessed"]["n"] == 1
    assert kent["stages"]["received_to_assessed"]["max_hours"] == 121.0
    gm = s["forces"]["greater-manchester"]
    assert gm["by_status"]["failed"] == 1 and gm["overdue"] == 1  # no delivery target configured
    assert gm["stages"]["sent_to_acknowledged"]["n"] == 0
    assert s["dispatches"] == 3 and s["overdue"] == 1 and s["by_status"]["acknowledged"] == 2
    wm = next(x for x in list_dispatches(hub.store, force="west-midlands"))
    assert wm["timings"]["acknowledged_late"] is True
