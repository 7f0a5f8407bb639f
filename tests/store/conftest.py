"""The store fixture: every contract test runs on the embedded store, and on Neo4j when
LINKAGE_NEO4J_URI is set (e.g. `docker compose up neo4j`)."""

from __future__ import annotations

import os
import uuid

import pytest

from linkage.store.embedded import EmbeddedStore

NEO4J_URI = os.environ.get("LINKAGE_NEO4J_URI")
NEO4J_SKIP = ("Neo4j contract run skipped: LINKAGE_NEO4J_URI is not set "
              "(start one with `docker compose up neo4j` and export LINKAGE_NEO4J_URI=bolt://localhost:7687)")


@pytest.fixture(params=["embedded", "neo4j"])
def store(request, tmp_path):
    if request.param == "embedded":
        s = EmbeddedStore(tmp_path / "graph")
        yield s
        s.close()
        return
    if not NEO4J_URI:
        pytest.skip(NEO4J_SKIP)
    from linkage.store.neo4j_store import Neo4jStore

    s = Neo4jStore(NEO4J_URI, os.environ.get("NEO4J_USER", "neo4j"),
                   os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"))
    # Contract tests own the database they are pointed at: start from empty.
    s._write_raw("MATCH (n) DETACH DELETE n") if hasattr(s, "_write_raw") else None
    s.ensure_schema()
    yield s
    s.close()


def pytest_report_header(config):
    return NEO4J_SKIP if not NEO4J_URI else f"Neo4j contract run against {NEO4J_URI}"


@pytest.fixture
def uid():
    return uuid.uuid4().hex[:8]
