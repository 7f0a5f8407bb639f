"""The app's plumbing on an empty store: the uniform 500, the web app at /, request ids, and
application logs that carry neither query strings nor names."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from linkage.settings import Settings
from linkage.users import UserStore


@pytest.fixture
def app_and_token(tmp_path):
    settings = Settings(store=tmp_path / "graph")
    _, token = UserStore.for_settings(settings).add("ann", "analyst")
    return settings, token


def test_an_unexpected_error_is_a_uniform_500_with_the_request_id(app_and_token):
    settings, token = app_and_token
    app = create_app(settings, static_dir=None)

    @app.get("/boom")
    def boom():
        raise RuntimeError("Jane Doe 07700 900123")  # a message with personal data

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    body = r.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "internal_error"
    assert body["details"]["request_id"] == r.headers["x-request-id"]
    assert "Jane" not in r.text


def test_the_web_app_is_served_at_root_after_the_api(app_and_token, tmp_path):
    settings, token = app_and_token
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text("<html>linkage web</html>")
    with TestClient(create_app(settings, static_dir=static)) as c:
        assert "linkage web" in c.get("/").text
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["name"] == "ann"
        assert c.get("/healthz").json() == {"status": "ok"}
        r = c.get("/api/v1/nope")
        assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_without_a_built_web_app_root_is_a_uniform_404(app_and_token, tmp_path):
    settings, _ = app_and_token
    with TestClient(create_app(settings, static_dir=tmp_path / "absent")) as c:
        r = c.get("/")
    assert r.status_code == 404 and set(r.json()) == {"code", "message", "details"}


def test_logs_carry_route_templates_not_query_strings(app_and_token, caplog):
    settings, token = app_and_token
    with TestClient(create_app(settings, static_dir=None)) as c, caplog.at_level(logging.INFO, logger="api"):
        c.get("/api/v1/search", params={"q": "Nguyen Van An"},
              headers={"Authorization": f"Bearer {token}", "X-Purpose": "OP-1"})
        c.get("/api/v1/entities/P-0123456789", headers={"Authorization": f"Bearer {token}", "X-Purpose": "OP-1"})
    access = [r.getMessage() for r in caplog.records if r.name == "api.access"]
    assert any(m.startswith("GET /api/v1/search ") for m in access)
    assert any(m.startswith("GET /api/v1/entities/{entity_id} 404") for m in access)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Nguyen" not in text and "q=" not in text and "P-0123456789" not in text


def test_readiness_is_503_when_the_store_is_not_open(app_and_token):
    settings, _ = app_and_token
    app = create_app(settings, static_dir=None)
    with TestClient(app) as c:
        store, app.state.store = app.state.store, None
        try:
            r = c.get("/readyz")
        finally:
            app.state.store = store
    assert r.status_code == 503 and r.json()["code"] == "not_ready"
