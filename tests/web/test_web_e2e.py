"""The analysts' web app, end to end: headless Chromium drives the real app against a real
`linkage serve` loaded with generated data (tests/web/e2e.mjs holds the browser steps).

The browser run happens once per module; each test below checks one behaviour an analyst, the
hub or a force relies on, from the run's results, the API and the audit log.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.web.harness import ROOT, Server, build_world

SCRIPT = Path(__file__).with_name("e2e.mjs")
PURPOSE = "OP-WEB-E2E case 24/0042"
PURPOSE2 = "OP-WEB-E2E follow-up 24/0043"
NOT_SAME_REASON = "web e2e: different dates of birth on the two forms"


@pytest.fixture(scope="module")
def run(web_tools, screenshots_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("web-e2e")
    t0 = time.perf_counter()
    world = build_world(base)
    built = time.perf_counter() - t0
    server = Server(world.store_path, base / "serve.log")
    try:
        picks = world.picks
        cfg = {
            "base": server.base,
            "webDir": str(ROOT / "web"),
            "chromium": web_tools["chromium"],
            "screenshots": str(screenshots_dir),
            "tmp": str(base),
            "purpose": PURPOSE,
            "purpose2": PURPOSE2,
            "timeoutMs": 45000,
            "users": world.users,
            "search": picks["search"],
            "path_target": picks["path_target"],
            "judge": {**picks["judge"], "reason": NOT_SAME_REASON},
            "other_dispatch": picks["other_dispatch"],
        }
        cfg["users"]["force"]["force"] = picks["force"]
        (base / "config.json").write_text(json.dumps(cfg, indent=1))
        out = base / "results.json"
        t1 = time.perf_counter()
        proc = subprocess.run([web_tools["node"], str(SCRIPT), str(base / "config.json"), str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=240)
        browser_s = time.perf_counter() - t1
        assert out.exists(), f"the browser run wrote no results:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        results = json.loads(out.read_text())
        results["stderr"] = proc.stderr
        results["timing"] = {"world_s": round(built, 1), "browser_s": round(browser_s, 1), **{
            k: round(v, 1) for k, v in world.seconds.items()}}
        print(f"\nweb e2e: world {built:.0f} s ({world.seconds}), browser {browser_s:.0f} s; "
              f"screenshots in {screenshots_dir}")
        yield {"results": results, "world": world, "server": server, "cfg": cfg}
    finally:
        server.stop()


def step(run, name: str) -> dict:
    s = run["results"]["steps"].get(name)
    assert s is not None, f"step {name} did not run: {run['results'].get('stderr', '')[-2000:]}"
    assert s["ok"], f"step {name} failed:\n{s.get('error')}"
    return s["detail"] or {}


def api(run, role: str, path: str, **params):
    token = run["world"].users[role]["token"]
    r = httpx.get(f"{run['server'].base}/api/v1{path}", params=params, timeout=60,
                  headers={"Authorization": f"Bearer {token}", "X-Purpose": "OP-WEB-E2E test check"})
    r.raise_for_status()
    return r.json()


def test_a_bad_token_is_refused_with_a_readable_message(run):
    text = step(run, "refused_bad_token")
    assert "not valid" in text or "revoked" in text


def test_sign_in_shows_the_stated_purpose_and_keeps_nothing_personal_in_the_browser(run):
    d = step(run, "sign_in")
    assert d["purpose"] == PURPOSE
    assert d["stored"]["local"] == []
    assert set(d["stored"]["session"]) <= {"linkage.session"}


def test_a_name_typed_without_diacritics_in_the_other_order_finds_the_person(run):
    d = step(run, "search_name_without_diacritics_other_order")
    picks = run["world"].picks["search"]
    assert picks["query"].isascii() and picks["label"] != picks["query"]
    assert d["label"] == picks["label"]
    assert "#/entity" in d["url"] and picks["entity_id"] not in d["url"]


def test_the_chart_expands_on_double_click_and_finds_a_path_with_its_evidence(run):
    chart = step(run, "chart")
    assert chart["nodes"] > 1
    expand = step(run, "expand_by_double_click")
    assert expand["tried"]
    paths = step(run, "paths_between_two_entities")
    assert paths["paths"] >= 1 and paths["evidence"] >= 1


def test_chart_filters_and_exports(run):
    step(run, "chart_filters")
    out = step(run, "exports")
    assert out[".png"]["head"].startswith("\x89PNG")
    assert "<" in out[".graphml"]["head"] and "<" in out[".anx"]["head"]


def test_a_not_same_judgement_shows_in_the_entity_card_and_is_kept(run):
    d = step(run, "not_same_judgement_in_entity_card")
    assert NOT_SAME_REASON in d["row"]
    js = api(run, "analyst", "/judgements", limit=50)["items"]
    mine = [j for j in js if j["reason"] == NOT_SAME_REASON]
    assert len(mine) == 1 and mine[0]["decision"] == "not-same" and mine[0]["by"] == "web-analyst"


def test_review_networks_venues_and_scan_pages(run):
    step(run, "review_queue")
    nets = step(run, "networks_chart_and_map")
    assert nets["nodes"] > 1 and nets["points"] >= 1
    step(run, "venues")
    scans = step(run, "scans")
    assert scans["findings"] > 0 and scans["history"] >= 1


def test_the_purpose_can_be_changed_and_a_401_returns_to_sign_in(run):
    assert step(run, "change_purpose")["purpose"] == PURPOSE2
    step(run, "unauthorised_returns_to_sign_in")


def test_a_force_user_acknowledges_its_own_dispatch_and_is_refused_another_forces(run):
    d = step(run, "force_user_acknowledges_own_dispatch")
    refused = step(run, "force_user_refused_other_force_dispatch")
    assert refused["status"] == 403
    got = api(run, "hub", f"/dispatches/{d['dispatch']}")
    assert got["status"] == "acknowledged" and got["force"] == run["world"].picks["force"]
    other = api(run, "hub", f"/dispatches/{run['world'].picks['other_dispatch']}")
    assert other["status"] != "acknowledged"
    hub = step(run, "hub_board")
    assert "triage" in hub


def test_every_consultation_the_browser_made_is_in_the_audit_log_with_its_purpose(run):
    from linkage.audit import AuditLog

    requests = [r for r in run["results"]["requests"] if 200 <= r.get("status", 0) < 300]
    assert len(requests) > 20
    assert all(r["auth"] and r["request_id"] for r in run["results"]["requests"])
    assert all(r["purpose"] in (PURPOSE, PURPOSE2) for r in requests), "a request went without the purpose"
    entries = AuditLog(run["world"].audit_path).entries()
    by_request: dict[str, list[dict]] = {}
    for e in entries:
        rid = (e.get("details") or {}).get("request_id")
        if rid:
            by_request.setdefault(rid, []).append(e)
    unaudited = [r for r in requests if r["path"] != "/api/v1/me" and r["request_id"] not in by_request]
    assert not unaudited, f"consultations without an audit entry: {unaudited[:5]}"
    for r in requests:
        for e in by_request.get(r["request_id"], []):
            assert e["purpose"] == r["purpose"], (r, e)
            assert e["actor"].startswith("web-")
    assert AuditLog(run["world"].audit_path).verify().ok
    purposes = {e["purpose"] for rid in (r["request_id"] for r in requests) for e in by_request.get(rid, [])}
    assert {PURPOSE, PURPOSE2} <= purposes


def test_the_browser_reported_no_script_errors(run):
    errors = [c for c in run["results"]["console"] if "Failed to load resource" not in c]
    assert not errors, errors
    shots = run["results"]["screenshots"]
    assert len(shots) >= 15 and all(os.path.getsize(s) > 5000 for s in shots)
