"""Who may call what, read from the route table itself: for every route and every caller, a
missing or bad token is 401, a role the route does not allow is 403, an allowed role gets past
auth; a route that returns personal data without X-Purpose is 400 saying so."""

from __future__ import annotations

import pytest

from api.app import create_app
from api.deps import route_table
from linkage.settings import Settings

# A request each route accepts far enough to get past auth, without doing work: bodies that
# fail validation (422) after auth, ids that do not exist (404).
SAMPLES: dict[tuple[str, str], dict] = {
    ("POST", "/api/v1/reports"): {"json": []},
    ("GET", "/api/v1/reports"): {"params": {"source_ref": "no-such-ref"}},
    ("GET", "/api/v1/reports/{report_id}"): {"path": {"report_id": "R-none"}},
    ("GET", "/api/v1/search"): {"params": {"q": "zz-nobody", "limit": 1}},
    ("GET", "/api/v1/entities/{entity_id}"): {"path": {"entity_id": "P-none"}},
    ("GET", "/api/v1/entities/{entity_id}/network"): {"path": {"entity_id": "P-none"}},
    ("GET", "/api/v1/entities/{entity_id}/export"): {"path": {"entity_id": "P-none"}},
    ("POST", "/api/v1/entities/{entity_id}/split"): {"path": {"entity_id": "P-none"}, "json": []},
    ("GET", "/api/v1/paths"): {"params": {"source": "P-none", "target": "P-none2"}},
    ("GET", "/api/v1/venues"): {"params": {"limit": 1}},
    ("GET", "/api/v1/networks"): {"params": {"limit": 1}},
    ("POST", "/api/v1/judgements"): {"json": []},
    ("POST", "/api/v1/judgements/{judgement_id}/undo"): {"path": {"judgement_id": "J-none"}},
    ("GET", "/api/v1/judgements"): {"params": {"limit": 1}},
    ("GET", "/api/v1/review-queue"): {"params": {"limit": 1}},
    ("GET", "/api/v1/explain"): {"params": {"record_a": "none-a", "record_b": "none-b"}},
    ("POST", "/api/v1/scans"): {"json": []},
    ("GET", "/api/v1/scans/latest"): {},
    ("GET", "/api/v1/scans"): {"params": {"limit": 1}},
    ("GET", "/api/v1/scans/{on}"): {"path": {"on": "1999-01-01"}},
    ("POST", "/api/v1/referrals/route"): {"json": []},
    ("GET", "/api/v1/referrals/triage"): {"params": {"limit": 1}},
    ("POST", "/api/v1/referrals/triage/{triage_id}/assign"): {"path": {"triage_id": "T-none"}, "json": []},
    ("POST", "/api/v1/referrals/triage/{triage_id}/close"): {"path": {"triage_id": "T-none"}, "json": []},
    ("GET", "/api/v1/dispatches"): {"params": {"limit": 1}},
    ("GET", "/api/v1/dispatches/overdue"): {"params": {"limit": 1}},
    ("GET", "/api/v1/dispatches/stats"): {},
    ("GET", "/api/v1/dispatches/{dispatch_id}"): {"path": {"dispatch_id": "D-none"}},
    ("POST", "/api/v1/dispatches/{dispatch_id}/ack"): {"path": {"dispatch_id": "D-none"}, "json": []},
    ("POST", "/api/v1/dispatches/{dispatch_id}/reject"): {"path": {"dispatch_id": "D-none"}, "json": []},
    ("POST", "/api/v1/dispatches/{dispatch_id}/resend"): {"path": {"dispatch_id": "D-none"}},
    ("GET", "/api/v1/me"): {},
    ("GET", "/api/v1/audit/verify"): {},
    ("POST", "/api/v1/resolve"): {"skip_allowed": True},  # allowed: runs a resolution; checked elsewhere
}
PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/openapi.json"), ("GET", "/docs"),
          ("GET", "/docs/oauth2-redirect")}

ROUTES = [(m, r["path"], r) for r in route_table(create_app(Settings(store="/nonexistent/never-opened")))
          for m in r["methods"]]
CALLERS = ("none", "bad", "revoked", "analyst", "hub", "force", "ingest", "admin")


def test_every_route_is_in_the_matrix():
    table = {(m, p) for m, p, _ in ROUTES}
    assert table - PUBLIC == set(SAMPLES), "add new routes to SAMPLES (and decide their roles)"
    for m, p, r in ROUTES:
        if (m, p) not in PUBLIC:
            assert r["roles"], f"{m} {p} has no Allow(...) declaration"
            assert "admin" in r["roles"]


def _call(api, method, path, caller, *, purpose=True):
    sample = SAMPLES[(method, path)]
    url = path.format(**sample.get("path", {}))
    headers = {}
    if caller == "bad":
        headers["Authorization"] = "Bearer not-a-real-token"
    elif caller != "none":
        headers["Authorization"] = f"Bearer {api.tokens[caller]}"
    if purpose:
        headers["X-Purpose"] = "OP-MATRIX"
    kw = {"params": sample.get("params"), "headers": headers}
    if "json" in sample:
        kw["json"] = sample["json"]
    return api.client.request(method, url, **kw)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("method,path,route", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_auth_matrix(api, method, path, route, caller):
    if (method, path) in PUBLIC:
        if path in ("/healthz", "/readyz"):
            r = api.client.get(path)
            assert r.status_code == 200
        return
    allowed = caller in route["roles"]
    if allowed and SAMPLES[(method, path)].get("skip_allowed"):
        pytest.skip("allowed call has side effects; covered by endpoint tests")
    r = _call(api, method, path, caller)
    body = r.json()
    assert set(body) >= {"code", "message", "details"} if r.status_code >= 400 else True
    if caller in ("none", "bad", "revoked"):
        assert r.status_code == 401, body
        assert r.headers.get("www-authenticate", "").lower().startswith("bearer")
    elif not allowed:
        assert r.status_code == 403, body
        assert body["code"] == "forbidden"
    else:
        assert r.status_code not in (401, 403), body
        assert r.status_code < 500, body


@pytest.mark.parametrize("method,path,route", [x for x in ROUTES if x[2]["purpose"]],
                         ids=[f"{m} {p}" for m, p, r in ROUTES if r["purpose"]])
def test_personal_data_needs_a_stated_purpose(api, method, path, route):
    r = _call(api, method, path, "admin", purpose=False)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "purpose_required"
    assert "X-Purpose" in body["message"]


def test_a_token_revoked_while_the_api_runs_is_refused_on_the_next_request(api):
    from linkage.users import UserStore

    _, token = UserStore.for_settings(api.settings).add("test-soon-revoked", "analyst")
    me = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/me", headers=me).status_code == 200
    assert api.client.get("/api/v1/me", headers=me).status_code == 200  # now remembered as verified
    UserStore.for_settings(api.settings).revoke("test-soon-revoked")  # as `linkage users revoke` does
    assert api.client.get("/api/v1/me", headers=me).status_code == 401
    _, again = UserStore.for_settings(api.settings).add("test-soon-revoked", "hub")  # re-issued
    assert api.client.get("/api/v1/me", headers=me).status_code == 401
    r = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {again}"})
    assert r.status_code == 200 and r.json()["role"] == "hub"
