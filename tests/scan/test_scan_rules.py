"""The scan's rules as a supervisor relies on them, on small hand-made reports: what counts as a
distinct report, what is never flagged, how a finding's status and priority are decided, and
when the scheduler runs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from linkage.errors import NotFound, UserError
from linkage.jobs import hubs as H
from linkage.jobs.scan import (
    compare, next_run, parse_at, parse_every, prioritise, run_scan, scan_for_date, scan_history,
    submission_chains,
)
from linkage.resolve.pipeline import resolve
from linkage.settings import Settings
from linkage.store.embedded import EmbeddedStore
from tests.scan.builders import Place, Spec, bundle

DAY = date(2025, 3, 20)


def _rep(rid, ref, org="WMP", day=date(2025, 3, 1), narrative=None, key=None, version=1):
    return {"report_id": rid, "report_key": key or rid, "source_ref": ref, "organisation": org,
            "reported_at": day, "narrative": narrative, "version": version}


# -- distinct reports -------------------------------------------------------------------------

def test_a_follow_up_with_an_extended_reference_from_the_same_sender_is_one_chain():
    reps = {r["report_id"]: r for r in [
        _rep("a", "INT/2025/0142"), _rep("b", "INT/2025/0142/2", day=date(2025, 3, 4)),
        _rep("c", "INT/2025/0142-UPDATE", day=date(2025, 3, 5)),
        _rep("d", "INT/2025/0143")]}
    chains = submission_chains(reps)
    assert chains["a"] == chains["b"] == chains["c"] == "a"
    assert chains["d"] == "d"


def test_the_same_reference_from_another_organisation_is_independent():
    reps = {r["report_id"]: r for r in [_rep("a", "REF-1001", org="Hestia"),
                                        _rep("b", "REF-1001/2", org="Salvation Army")]}
    chains = submission_chains(reps)
    assert chains["a"] != chains["b"]


def test_a_report_citing_another_reports_reference_is_derived_from_it():
    reps = {r["report_id"]: r for r in [
        _rep("a", "NRM-2025-0042", org="Hestia"),
        _rep("b", "INT/77", narrative="Write-up of NRM-2025-0042, seen again at the car wash."),
        _rep("c", "INT/78", narrative="Unrelated: 2025 was busy")]}
    chains = submission_chains(reps)
    assert chains["a"] == chains["b"]
    assert chains["c"] == "c"


# -- status and priority --------------------------------------------------------------------------

def _finding(key, reports, evidence=(), **kw):
    t, eid = key.split(":")
    return {"key": key, "type": t, "entity_id": eid, "reports": reports, "status": "new",
            "previous_reports": None, "previous_entity_id": None,
            "evidence": [{"report_id": r, "report_key": r} for r in evidence], **kw}


def test_status_is_new_escalating_or_unchanged_against_the_previous_scan():
    prev = {"findings": {"locations": [_finding("locations:L-1", 3, "abc"),
                                       _finding("locations:L-2", 4, "defg")]}}
    now = [_finding("locations:L-1", 5, "abcxy"), _finding("locations:L-2", 4, "defg"),
           _finding("locations:L-3", 3, "uvw")]
    compare(now, prev)
    assert [f["status"] for f in now] == ["escalating", "unchanged", "new"]
    assert now[0]["previous_reports"] == 3


def test_an_entity_renamed_by_resolution_is_still_the_same_finding():
    prev = {"findings": {"locations": [_finding("locations:L-old", 3, "abc")]}}
    now = [_finding("locations:L-new", 3, "abc")]
    compare(now, prev)
    assert now[0]["status"] == "unchanged" and now[0]["previous_entity_id"] == "L-old"


def test_alerts_come_first_then_escalating_then_new_and_more_reports_rank_higher():
    items = [
        _finding("people:P-1", 3, status_="x") | {"status": "unchanged"},
        _finding("locations:L-1", 3) | {"status": "new"},
        _finding("locations:L-2", 6) | {"status": "new"},
        _finding("phones:T-1", 3) | {"status": "escalating"},
        {"key": "section45:P-9", "alert": True, "kind": "section45", "reports": 1, "status": "new"},
    ]
    order = [x["key"] for x in prioritise(items)]
    assert order == ["section45:P-9", "phones:T-1", "locations:L-2", "locations:L-1", "people:P-1"]
    assert [x["priority"] for x in prioritise(items)] == [1, 2, 3, 4, 5]


def test_better_grading_breaks_ties():
    a = _finding("locations:L-1", 3) | {"best_grading": "3D"}
    b = _finding("locations:L-2", 3) | {"best_grading": "1A"}
    assert [x["key"] for x in prioritise([a, b])] == ["locations:L-2", "locations:L-1"]


# -- scheduling ---------------------------------------------------------------------------------

def test_every_and_at_parse_what_docker_compose_passes():
    assert parse_every("24h") == timedelta(hours=24)
    assert parse_every("1d") == timedelta(days=1)
    assert parse_every("1h30m") == timedelta(minutes=90)
    assert parse_at("06:00") == time(6, 0)
    for bad in ("", "daily", "10s", "24x"):
        with pytest.raises(UserError):
            parse_every(bad)
    with pytest.raises(UserError):
        parse_at("25:00")


def test_next_run_waits_for_the_time_of_day_and_then_steps_by_the_interval():
    every = timedelta(hours=24)
    at = time(6, 0)
    assert next_run(datetime(2025, 3, 1, 5, 0), every, at, None) == datetime(2025, 3, 1, 6, 0)
    assert next_run(datetime(2025, 3, 1, 7, 0), every, at, None) == datetime(2025, 3, 2, 6, 0)
    # after a run at 06:00 (which finished at 06:00:40) the next is tomorrow, not again today
    assert next_run(datetime(2025, 3, 1, 6, 0, 40), every, at, datetime(2025, 3, 1, 6, 0)) == \
        datetime(2025, 3, 2, 6, 0)
    twelve = timedelta(hours=12)
    assert next_run(datetime(2025, 3, 1, 7, 0), twelve, at, None) == datetime(2025, 3, 1, 18, 0)
    assert next_run(datetime(2025, 3, 1, 3, 0), twelve, at, None) == datetime(2025, 3, 1, 6, 0)
    # without --at: now, then one interval after the last run
    now = datetime(2025, 3, 1, 9, 13)
    assert next_run(now, every, None, None) == now
    assert next_run(now, every, None, now) == now + every


# -- hand-made stores ------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "graph")
    yield s
    s.close()


def _load(store, specs):
    store.write_reports([bundle(s) for s in specs])
    resolve(store)


def _car_wash(n, start=date(2025, 3, 1), prefix="INT/"):
    return [Spec(f"{prefix}{i}", start + timedelta(days=i), places=[Place("car wash")],
                 people=[(f"Victim{i} Kowalska{i}", "victim")]) for i in range(n)]


def test_versions_and_follow_ups_of_one_submission_count_once(store, tmp_path):
    specs = _car_wash(2) + [Spec("INT/0/2", date(2025, 3, 10), places=[Place("car wash")],
                                 people=[("Other Person", "witness")])]
    _load(store, specs)
    r = run_scan(store, Settings(store=tmp_path / "graph"), on=DAY, min_reports=3)
    assert r["findings"]["locations"] == []
    r = run_scan(store, Settings(store=tmp_path / "graph"), on=DAY, min_reports=2)
    [f] = r["findings"]["locations"]
    assert f["reports"] == 2 and f["report_count"] == 3


def test_a_place_named_with_a_benign_use_is_never_flagged(store, tmp_path):
    specs = [Spec(f"NRM-{i:04d}", date(2025, 3, 1) + timedelta(days=i), kind="nrm", grading=None,
                  org="Hestia", people=[(f"Person{i} Smith{i}", "victim")],
                  places=[Place("charity office", role="safe_house", use="safe_house", linked_by="LIVES_AT")])
             for i in range(6)]
    _load(store, specs + _car_wash(3))
    r = run_scan(store, Settings(store=tmp_path / "graph"), on=DAY)
    labels = [f["label"] for f in r["findings"]["locations"]]
    assert labels == ["12 Mill Lane, B11 1AA"]
    [x] = r["excluded"]
    assert "20 Church Road" in x["label"] and "benign use" in x["reason"]


def test_a_known_hub_by_postcode_is_excluded_with_its_reason(store, tmp_path):
    _load(store, _car_wash(4))
    settings = Settings(store=tmp_path / "graph")
    hub = H.add_hub(store, "b111aa", reason="day centre run by the council", by="sup1")
    assert hub["value"] == "B11 1AA" and hub["hub_id"] == "postcode:B111AA"
    r = run_scan(store, settings, on=DAY)
    assert r["findings"]["locations"] == []
    assert "day centre" in r["excluded"][0]["reason"]
    assert [h["value"] for h in H.list_hubs(store)] == ["B11 1AA"]
    H.remove_hubs(store, ["B11 1AA"])
    assert H.list_hubs(store) == []
    with pytest.raises(NotFound):
        H.remove_hubs(store, ["B11 1AA"])
    with pytest.raises(UserError):
        H.add_hub(store, "B11", reason="x", by="sup1")
    with pytest.raises(UserError):
        H.add_hub(store, "B11 1AA", reason=" ", by="sup1")


def test_a_known_hub_by_entity_id_is_excluded(store, tmp_path):
    _load(store, _car_wash(4))
    settings = Settings(store=tmp_path / "graph")
    eid = run_scan(store, settings, on=DAY, record=False)["findings"]["locations"][0]["entity_id"]
    H.add_hub(store, eid, reason="interpreter's office", by="sup1")
    r = run_scan(store, settings, on=DAY, record=False)
    assert r["findings"]["locations"] == [] and r["excluded"][0]["entity_id"] == eid


def test_force_filter_keeps_what_concerns_that_force(store, tmp_path):
    nail = [Spec(f"GMP/{i}", date(2025, 3, 1) + timedelta(days=i), org="GMP", force="greater-manchester",
                 places=[Place("nail bar")], people=[(f"V{i} Tran{i}", "victim")]) for i in range(3)]
    _load(store, _car_wash(3) + nail)
    settings = Settings(store=tmp_path / "graph")
    r = run_scan(store, settings, on=DAY, force="Greater Manchester Police", record=False)
    assert r["force"] == "greater-manchester"
    assert [f["label"] for f in r["findings"]["locations"]] == ["4 High Street, M14 5RT"]
    with pytest.raises(UserError):
        run_scan(store, settings, on=DAY, force="atlantis")


def test_handling_conditions_travel_with_the_evidence(store, tmp_path):
    specs = _car_wash(2) + [Spec("INT/9", date(2025, 3, 9), places=[Place("car wash")],
                                 people=[("Zed Ray", "suspect")], grading=("1", "A"), handling="C",
                                 conditions="not to be disclosed to the employer")]
    _load(store, specs)
    r = run_scan(store, Settings(store=tmp_path / "graph"), on=DAY, out_dir=tmp_path / "out")
    [f] = r["findings"]["locations"]
    assert f["best_grading"] == "1A" and f["handling"] == "C"
    assert f["conditions"] == ["not to be disclosed to the employer"]
    html = (tmp_path / "out" / "report.html").read_text()
    assert "not to be disclosed to the employer" in html


def test_the_same_date_scanned_twice_is_replaced_and_history_lists_dates(store, tmp_path):
    _load(store, _car_wash(3))
    settings = Settings(store=tmp_path / "graph")
    first = run_scan(store, settings, on=DAY)
    again = run_scan(store, settings, on=DAY)
    assert again["scan_id"] == first["scan_id"] and again["runs"] == 2
    # "since last scan" is the latest EARLIER date, never the same date scanned before
    assert again["previous"] is None
    assert [f["status"] for f in again["findings"]["locations"]] == ["new"]
    run_scan(store, settings, on=DAY + timedelta(days=1))
    hist = scan_history(store)
    assert [h["date"] for h in hist] == [str(DAY + timedelta(days=1)), str(DAY)]
    assert scan_for_date(store, DAY)["runs"] == 2
    assert scan_for_date(store, DAY - timedelta(days=5)) is None


def test_a_read_only_scan_records_nothing(store, tmp_path):
    _load(store, _car_wash(3))
    r = run_scan(store, Settings(store=tmp_path / "graph"), on=DAY, record=False)
    assert r["recorded"] is False and r["findings"]["locations"]
    assert scan_history(store) == []


def test_bad_parameters_are_user_errors(store, tmp_path):
    settings = Settings(store=tmp_path / "graph")
    for kw in ({"window_days": 0}, {"min_reports": 1}, {"window_days": 100000}):
        with pytest.raises(UserError):
            run_scan(store, settings, on=DAY, **kw)
