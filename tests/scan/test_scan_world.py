"""The daily scan on a generated world (about 1,500 reports) ingested and resolved through the
real parts once for this module: what it flags, what it never flags, what is new the next day,
and the command line a supervisor (or the scheduled scanner) runs."""

from __future__ import annotations

import copy
import csv
import json
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from ingest.geo import ForceLookup
from ingest.run import ingest_payloads
from linkage.analytics.flags import import_orders, refresh_flags
from linkage.generate import generate_world
from linkage.jobs.scan import latest_scan, run_scan, scan_for_date, scan_history
from linkage.resolve.export import resolution_rows
from linkage.resolve.pipeline import resolve
from linkage.settings import Settings
from linkage.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 6, 30)
D1, D2, D3 = AS_OF, AS_OF + timedelta(days=1), AS_OF + timedelta(days=2)
NEW_PLACE = {"ref": "l1", "address": "7 Foundry Yard, Digbeth, Birmingham", "postcode": "B5 7RN",
             "use": "exploitation", "venue_type": "car_wash"}


def _true_entities(store, truth) -> dict[str, str]:
    """resolved entity id -> the true entity most of its records are."""
    key = {(t["report_kind"], t["source_ref"], t["record_ref"], t["record_type"]): t["true_entity"]
           for t in truth}
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in resolution_rows(store):
        te = key.get((row["report_kind"], row["source_ref"], row["record_ref"], row["record_type"]))
        if te and row["entity_id"]:
            votes[row["entity_id"]][te] += 1
    return {e: c.most_common(1)[0][0] for e, c in votes.items()}


def _new_reports(world) -> list[dict]:
    """Two more reports naming the planted repeat location (copies of one that does, re-sent
    under new references on D3), one naming a person under an order, and three naming a place
    never seen before."""
    target = world.planted["repeat_locations"][0]["true_entity"]
    refs = {(t["report_kind"], t["source_ref"]) for t in world.truth
            if t["record_type"] == "location" and t["true_entity"] == target}
    source = next(r for r in world.reports if (r["kind"], r["source_ref"]) in refs and r["kind"] == "intel")
    out = []
    for i in range(2):
        r = copy.deepcopy(source)
        r["source_ref"] = f"TEST/ESC/{i + 1:04d}"
        r["reported_at"] = D3.isoformat()
        out.append(r)
    # new intelligence on a person under a slavery and trafficking order
    ordered = world.planted["under_order"][0]
    refs = {(t["report_kind"], t["source_ref"]) for t in world.truth
            if t["record_type"] == "person" and t["true_entity"] == ordered}
    r = copy.deepcopy(next(r for r in world.reports if (r["kind"], r["source_ref"]) in refs))
    r["source_ref"] = "TEST/ORDER/0001"
    r["reported_at"] = D3.isoformat()
    out.append(r)
    for i in range(3):
        out.append({
            "kind": "intel", "source_ref": f"WM/INT/TEST/{i + 1:04d}", "reported_at": D3.isoformat(),
            "submitted_by": {"force": "west-midlands", "unit": "MSHT team"},
            "grading": {"source": "1", "intelligence": "B", "handling": "P"},
            "narrative": "Workers seen living and working at the hand car wash behind the yard.",
            "subjects": [{"ref": "p1", "full_name": f"Marek Testowy{chr(65 + i)}", "role": "victim"}],
            "locations": [dict(NEW_PLACE)],
            "links": [{"from": "p1", "type": "EXPLOITED_AT", "to": "l1"}],
        })
    return out


@pytest.fixture(scope="module")
def world():
    return generate_world(1500, seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def timeline(world, tmp_path_factory):
    """Scan D1, scan D1 again, scan D2 with nothing new, then ingest new reports and scan D3."""
    t0 = time.perf_counter()
    base = tmp_path_factory.mktemp("scan-world")
    path = base / "graph"
    store = EmbeddedStore(path)
    settings = Settings(store=path)
    ingest_payloads(store, world.reports, lookup=ForceLookup.shipped())
    resolve(store)
    orders = base / "orders.jsonl"
    orders.write_text("".join(json.dumps(o) + "\n" for o in world.orders), encoding="utf-8")
    import_orders(store, orders)
    refresh_flags(store, settings)  # as `linkage resolve` and the API do after every resolution
    out = {"path": path, "base": base}
    out["d1"] = run_scan(store, settings, on=D1, out_dir=base / "scans" / "d1")
    out["d1_again"] = run_scan(store, settings, on=D1, out_dir=base / "scans" / "d1-again")
    out["d2"] = run_scan(store, settings, on=D2)
    out["truth_d1"] = _true_entities(store, world.truth)
    out["t_setup"] = time.perf_counter() - t0
    ingest_payloads(store, _new_reports(world), lookup=ForceLookup.shipped())
    resolve(store)
    refresh_flags(store, settings)
    out["d3"] = run_scan(store, settings, on=D3, out_dir=base / "scans" / "d3")
    out["truth_d3"] = _true_entities(store, world.truth)
    out["history"] = scan_history(store)
    out["latest"] = latest_scan(store)
    out["for_d1"] = scan_for_date(store, D1)
    store.close()
    return out


def _flagged_truth(result, truth) -> dict[str, dict]:
    return {truth.get(f["entity_id"]): f for f in result["findings"]["locations"]}


def test_planted_repeat_locations_are_flagged(world, timeline):
    flagged = _flagged_truth(timeline["d1"], timeline["truth_d1"])
    planted = world.planted["repeat_locations"]
    assert planted
    for p in planted:
        f = flagged.get(p["true_entity"])
        assert f is not None, f"planted repeat location {p['true_entity']} not flagged"
        # distinct reports in a 90-day window: at least those of the last 60 days
        assert f["reports"] >= min(p["reports_in_last_60_days"], 3)
        assert p["force"] in f["forces"]
        assert f["evidence"] and all(e["source_ref"] and e["reported_at"] for e in f["evidence"])


def test_benign_hubs_are_not_flagged_even_though_they_recur_more(world, timeline):
    hubs = {h["true_entity"] for h in world.planted["benign_hubs"]}
    most = max(h["reports"] for h in world.planted["benign_hubs"])
    assert most > max(p["reports_in_last_60_days"] for p in world.planted["repeat_locations"])
    flagged = _flagged_truth(timeline["d1"], timeline["truth_d1"])
    assert not hubs & set(flagged), "a benign hub (police station, safe house, port ...) was flagged"


def test_the_first_scan_raises_alerts_with_their_evidence(timeline):
    alerts = timeline["d1"]["alerts"]
    assert alerts
    assert alerts[0]["priority"] == 1  # alerts are read first
    # the forces concerned: the places, the reporting forces (an NGO's referral about a person
    # with no place named may have none)
    assert sum(bool(a["forces"]) for a in alerts) >= 0.9 * len(alerts)
    for a in alerts:
        if a["kind"] != "cross_border_network":
            assert a["evidence"] and all(e["source_ref"] for e in a["evidence"]), a["key"]


def test_new_intelligence_on_a_person_under_an_order_is_an_alert(world, timeline):
    ordered = world.planted["under_order"][0]
    hits = [a for a in timeline["d3"]["alerts"]
            if a["kind"] == "under_order" and timeline["truth_d3"].get(a["entity_id"]) == ordered]
    assert len(hits) == 1
    assert [e["source_ref"] for e in hits[0]["evidence"]] == ["TEST/ORDER/0001"]


def test_a_second_run_with_no_new_data_reports_nothing_new(timeline):
    d2 = timeline["d2"]
    assert d2["previous"]["date"] == str(D1)
    statuses = Counter(f["status"] for fs in d2["findings"].values() for f in fs)
    assert statuses and set(statuses) == {"unchanged"}
    assert d2["alerts"] == []


def test_new_reports_make_the_right_findings_escalating_or_new(world, timeline):
    d3 = timeline["d3"]
    assert d3["previous"]["date"] == str(D2)
    flagged = _flagged_truth(d3, timeline["truth_d3"])
    target = world.planted["repeat_locations"][0]["true_entity"]
    esc = flagged[target]
    assert esc["status"] == "escalating" and esc["reports"] > esc["previous_reports"]
    assert {"TEST/ESC/0001", "TEST/ESC/0002"} <= {e["source_ref"] for e in esc["evidence"]}
    new = [f for f in d3["findings"]["locations"] if "Foundry Yard" in f["label"]]
    assert len(new) == 1 and new[0]["status"] == "new" and new[0]["reports"] == 3
    assert new[0]["forces"] == ["west-midlands"] and new[0]["best_grading"] == "1B"
    # nothing that was already flagged and gained no report is called new
    previously = {f["key"] for fs in timeline["d2"]["findings"].values() for f in fs}
    for f in (f for fs in d3["findings"].values() for f in fs):
        if f["key"] in previously and f["status"] == "new":
            pytest.fail(f"{f['key']} was flagged on D2 but is called new on D3")


def test_the_same_date_scanned_twice_replaces_never_duplicates(timeline):
    dates = [h["date"] for h in timeline["history"]]
    assert dates == [str(D3), str(D2), str(D1)]
    assert timeline["for_d1"]["runs"] == 2
    assert timeline["d1_again"]["scan_id"] == timeline["d1"]["scan_id"]
    assert timeline["d1_again"]["previous"] is None  # never compared with itself
    assert timeline["latest"]["date"] == str(D3)
    assert timeline["d1"]["counts"]["findings"] == timeline["d1_again"]["counts"]["findings"]


def test_outputs_are_written_and_readable(timeline):
    out = timeline["d3"]["outputs"]
    data = json.loads(Path(out["json"]).read_text())
    assert data["scan_id"] == timeline["d3"]["scan_id"]
    for name, p in out["csv"].items():
        with open(p, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert rows and rows[0], f"{name}.csv has no header"
    with open(out["csv"]["locations"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(timeline["d3"]["findings"]["locations"])
    assert [int(r["priority"]) for r in rows] == sorted(int(r["priority"]) for r in rows)
    html = Path(out["html"]).read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "Foundry Yard" in html
    for f in timeline["d3"]["findings"]["locations"][:5]:
        assert f["label"] in html or f["label"].replace("&", "&amp;") in html
        rid = f["evidence"][0]["report_id"]
        assert f'href="#r-{rid}"' in html and f'id="r-{rid}"' in html


def test_cli_scan_beside_a_writer_then_read_only_then_history(timeline, tmp_path):
    """`linkage scan` while another process owns the embedded store says what to do; with
    --read-only it scans the snapshot without recording; `linkage scans` lists the history."""
    path = tmp_path / "graph"
    shutil.copytree(timeline["path"], path) if timeline["path"].is_dir() else shutil.copy2(timeline["path"], path)
    for extra in timeline["path"].parent.glob(timeline["path"].name + ".*"):
        shutil.copy2(extra, tmp_path / extra.name)
    owner = EmbeddedStore(path)  # this process is the writer (as `linkage serve` would be)
    try:
        base = [sys.executable, "-m", "linkage", "--store", str(path)]
        env_cwd = dict(capture_output=True, text=True, cwd=ROOT, timeout=120)
        busy = subprocess.run([*base, "scan", "--date", str(D3 + timedelta(days=1))], **env_cwd)
        assert busy.returncode == 1 and "Traceback" not in busy.stderr
        assert "--read-only" in busy.stderr and "/api/v1/scans" in busy.stderr
        out = tmp_path / "ro"
        ro = subprocess.run([*base, "scan", "--read-only", "--date", str(D3 + timedelta(days=1)),
                             "--out", str(out), "--json"], **env_cwd)
        assert ro.returncode == 0, ro.stderr
        result = json.loads(ro.stdout)
        assert result["recorded"] is False and result["previous"]["date"] == str(D3)
        assert (out / "report.html").exists() and (out / "locations.csv").exists()
        hist = subprocess.run([*base, "scans", "--json"], **env_cwd)
        assert hist.returncode == 0, hist.stderr
        assert [h["date"] for h in json.loads(hist.stdout)] == [str(D3), str(D2), str(D1)]
    finally:
        owner.close()
