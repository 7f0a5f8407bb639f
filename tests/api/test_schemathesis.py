"""Property-based run over the OpenAPI schema against a real `linkage serve`: no generated
request, valid or not, may get a 500, and every error has the uniform body. Bounded: 20
examples per operation, on a smaller generated world (200 reports) so that the run stays well
under two minutes.

(Operations are read from the app's schema at collection time and driven with Hypothesis here,
rather than through `schemathesis.pytest.from_fixture`, whose fixture loader does not run on
this pytest version.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from api.app import create_app
from linkage.settings import Settings
from tests.api.conftest import build_world, make_users, start_server

SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(store="/nonexistent/never-opened")).openapi())
OPERATIONS = [r.ok() for r in SCHEMA.get_all_operations()]


@schemathesis.serializer("text/csv", "application/x-ndjson")
def _text(ctx, value):  # the ingest endpoint's text bodies
    return value.encode("utf-8", "replace") if isinstance(value, str) else str(value).encode()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api-fuzz")
    info = build_world(folder, reports=200, seed=5)
    cfg = Settings(store=folder / "graph")
    tokens = make_users(cfg, info)
    server = start_server(cfg.store, folder / "server.log")
    yield server, tokens
    server.stop()


def _cases(op):
    modes = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        try:
            modes.append(op.as_strategy(mode))
        except Exception:  # noqa: BLE001 - an operation with nothing to make invalid
            continue
    return st.one_of(modes)


def _takes_input(op) -> bool:
    d = op.definition.raw
    return bool(d.get("parameters") or d.get("requestBody"))


@pytest.mark.parametrize("op", OPERATIONS, ids=[o.label for o in OPERATIONS])
def test_no_server_errors(op, live):
    server, tokens = live
    headers = {"Authorization": f"Bearer {tokens['admin']}", "X-Purpose": "OP-FUZZ"}

    # 20 examples per operation; one for an operation that takes no input at all (every example
    # would be the same request)
    @settings(max_examples=10 if _takes_input(op) else 1, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=_cases(op))
    def check(case):
        response = case.call(base_url=server.base_url, headers=headers, timeout=60)
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "details"}, response.text

    check()
