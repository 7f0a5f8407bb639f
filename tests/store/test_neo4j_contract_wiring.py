"""The Neo4j adapter's wiring, checked without a Neo4j server.

The behaviour of every intent is checked by the contract suite (tests/store/test_contract.py),
which runs against Neo4j whenever LINKAGE_NEO4J_URI is set. These tests run everywhere:
- the schema file is what schema.py generates, and the named Cypher all loads;
- the adapter turns an unreachable server into a clear StoreError without the password (this
  really runs the driver against a closed local port);
- with a recording stand-in for the driver: transaction blocks become ONE managed write
  transaction, retried as a whole; reads never see pending writes; bulk creates use only
  schema labels and columns; parameters and results are converted as documented;
- docker-compose.yml has the services the deployment needs (and validates when the docker
  compose CLI is installed);
- optionally, every Neo4j query passes Neo4j's own Cypher 5 parser and semantic analysis
  (see cypher/README.md, "Checking the Cypher").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from neo4j import RoutingControl
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from linkage.errors import SchemaVersionError, StoreError
from linkage.model import Entity, Judgement, Membership
from linkage.store import neo4j_store as N
from linkage.store import schema as S
from linkage.store.queries import CYPHER_DIR, NamedQuery, _parse, catalogue, query

from tests.store.factories import bundle

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-Pa55word"


# -- the Cypher files ----------------------------------------------------------------------------
def test_schema_file_is_generated_from_schema_py():
    path = CYPHER_DIR / "schema" / "001_constraints.cypher"
    assert path.read_text(encoding="utf-8") == S.neo4j_schema_cypher(), (
        "cypher/schema/001_constraints.cypher is stale: regenerate it with python -c "
        "\"from linkage.store.schema import neo4j_schema_cypher as g; "
        "open('cypher/schema/001_constraints.cypher','w').write(g())\"")


def test_schema_statements_are_one_per_constraint_and_index():
    stmts = N.schema_statements()
    n_indexes = sum(len(t.indexed) for t in S.NODE_TABLES) + 1  # + the LINKED type index
    assert len(stmts) == len(S.NODE_TABLES) + n_indexes
    assert all(s.startswith("CREATE ") and "IF NOT EXISTS" in s and ";" not in s for s in stmts)
    for t in S.NODE_TABLES:
        assert any(f"FOR (n:{t.name}) REQUIRE n.{t.key} IS UNIQUE" in s for s in stmts)


def _store_files() -> list[Path]:
    return sorted((CYPHER_DIR / "store").glob("*.cypher"))


def test_every_shared_query_and_neo4j_variant_parses():
    files = [p for p in _store_files() if p.name.count(".") == 1 or p.name.endswith(".neo4j.cypher")]
    assert files
    for p in files:
        q = _parse(p.name.split(".")[0], p)
        assert isinstance(q, NamedQuery)
        assert q.text and not q.text.endswith(";"), p.name
        assert q.answers, f"{p.name} has no '// answers:' header"


def test_every_neo4j_variant_sits_beside_a_shared_query():
    for p in _store_files():
        if p.name.endswith(".neo4j.cypher"):
            shared = p.with_name(p.name.replace(".neo4j.cypher", ".cypher"))
            assert shared.exists(), f"{p.name} has no shared {shared.name}"


# Text that is LadybugDB Cypher and not Neo4j 5 Cypher (LADYBUG-NEO4J.md §1 and §6).
_LADYBUG_ONLY = [r"\bCAST\s*\(", r"\blist_transform\s*\(", r"\blist_filter\s*\(",
                 r"\blist_reduce\s*\(", r"\bstring_split\s*\(", r"\blabel\s*\(",
                 r"\bCOPY\s+\w+\s+FROM\b", r"\bAS\s+(TIMESTAMP|INT64|DOUBLE|STRING)\b",
                 r"\bcurrent_timestamp\s*\(", r"\bSHORTEST\s+\d+\.\.", r"\bdate_part\s*\(",
                 r"\bmap_extract\s*\("]


def test_the_neo4j_dialect_text_has_no_ladybug_only_syntax():
    for name in catalogue("store"):
        text = query("store", name, "neo4j").text
        for pattern in _LADYBUG_ONLY:
            assert not re.search(pattern, text, re.IGNORECASE), f"{name}: {pattern}"


def test_bulk_create_statements_use_schema_names_only():
    for name, spec in S.TABLES.items():
        text = N.create_cypher(name)
        if isinstance(spec, S.RelTable):
            assert f"CREATE (a)-[r:{name}]->(b)" in text
            assert f"MATCH (a:{spec.src} {{{S.TABLES[spec.src].key}: row.src}})" in text
            assert f"MATCH (b:{spec.dst} {{{S.TABLES[spec.dst].key}: row.dst}})" in text
        else:
            assert f"CREATE (n:{name})" in text and "SET n += row" in text
    with pytest.raises(KeyError):
        N.create_cypher("Person) DETACH DELETE (n")
    with pytest.raises(KeyError):
        N.count_cypher("Nope")
    with pytest.raises(KeyError):
        N.count_cypher("Record", "x) RETURN 1 //")


# -- a real driver against a closed port ---------------------------------------------------------
def test_an_unreachable_server_is_a_clear_store_error_without_the_password():
    start = time.monotonic()
    with pytest.raises(StoreError) as err:
        N.Neo4jStore("bolt://127.0.0.1:1", "neo4j", PASSWORD, "neo4j", connection_timeout=2)
    msg = str(err.value)
    assert "bolt://127.0.0.1:1" in msg and "cannot reach Neo4j" in msg
    assert PASSWORD not in msg and "\n" not in msg
    assert time.monotonic() - start < 30


def test_a_password_in_the_uri_never_reaches_the_message():
    with pytest.raises(StoreError) as err:
        N.Neo4jStore("bolt://neo4j:uri-Secret-99@127.0.0.1:1", "neo4j", PASSWORD, "neo4j",
                     connection_timeout=2)
    assert "uri-Secret-99" not in str(err.value) and PASSWORD not in str(err.value)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", ""])
def test_a_uri_that_is_not_bolt_is_refused(uri):
    with pytest.raises(StoreError, match="invalid Neo4j URI"):
        N.Neo4jStore(uri, "neo4j", PASSWORD)


# -- a recording stand-in for the driver ------------------------------------------------------------
class _Record:
    def __init__(self, row: dict):
        self._row = row

    def data(self) -> dict:
        return dict(self._row)

    def __getitem__(self, key):
        return self._row[key]


class _Result:
    def __init__(self, rows: list[dict]):
        self._rows = rows

    def consume(self):
        return None

    def single(self):
        return _Record(self._rows[0]) if self._rows else None


class _Tx:
    def __init__(self, driver: "FakeDriver"):
        self.driver = driver
        self.runs: list[tuple[str, dict]] = []

    def run(self, text: str, params: dict):
        if self.driver.fail_next:
            err = self.driver.fail_next
            self.driver.fail_next = None
            raise err
        self.runs.append((text, params))
        return _Result(self.driver.answer(text, params))


class _Session:
    def __init__(self, driver: "FakeDriver", database):
        self.driver = driver
        self.database = database

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, text: str, params: dict | None = None):
        if self.driver.down:
            raise ServiceUnavailable("Couldn't connect to db.example:7687")
        self.driver.auto_commits.append(text)
        return _Result(self.driver.answer(text, params or {}))

    def execute_write(self, fn):
        """Like the driver: a fresh transaction per attempt, retried on retryable errors."""
        for _ in range(3):
            tx = _Tx(self.driver)
            self.driver.attempts += 1
            try:
                out = fn(tx)
            except Neo4jError as exc:
                if exc.is_retryable():
                    continue
                raise
            self.driver.commits.append(tx.runs)
            return out
        raise AssertionError("retried too often")


class FakeDriver:
    def __init__(self, uri, auth, **config):
        self.uri, self.auth, self.config = uri, auth, config
        self.meta: str | None = None
        self.queries: list[tuple[str, dict, object]] = []
        self.commits: list[list[tuple[str, dict]]] = []
        self.attempts = 0
        self.fail_next: Exception | None = None
        self.verify_error: Exception | None = None
        self.rows: dict[str, list[dict]] = {}
        self.missing_endpoints = 0
        self.closed = False
        self.down = False
        self.auto_commits: list[str] = []
        self.execute_query_bookmark_manager = object()
        self.session_configs: list[dict] = []

    def verify_connectivity(self):
        if self.verify_error:
            raise self.verify_error

    def close(self):
        self.closed = True

    def session(self, database=None, **config):
        self.session_configs.append({"database": database, **config})
        return _Session(self, database)

    def answer(self, text: str, params: dict) -> list[dict]:
        if "AS created" in text:
            return [{"created": len(params["rows"]) - self.missing_endpoints}]
        if "MATCH (m:Meta {key: $key})" in text:
            return [{"value": self.meta}] if self.meta else []
        for marker, rows in self.rows.items():
            if marker in text:
                return rows
        return []

    def execute_query(self, text, parameters_=None, routing_=RoutingControl.WRITE, database_=None, **kw):
        if self.down:
            raise ServiceUnavailable("Couldn't connect to db.example:7687")
        self.queries.append((text, parameters_ or {}, routing_))
        return [_Record(r) for r in self.answer(text, parameters_ or {})], None, []

    # helpers for the tests
    def committed_texts(self) -> list[list[str]]:
        return [[t for t, _ in c] for c in self.commits]


@pytest.fixture
def fake(monkeypatch):
    made: list[FakeDriver] = []

    class _GraphDatabase:
        @staticmethod
        def driver(uri, auth=None, **config):
            d = FakeDriver(uri, auth, **config)
            made.extend([d])
            if hasattr(_GraphDatabase, "prepare"):
                _GraphDatabase.prepare(d)
            return d

    monkeypatch.setattr(N, "GraphDatabase", _GraphDatabase)
    _GraphDatabase.made = made
    return _GraphDatabase


def _open(fake, **kw) -> tuple[N.Neo4jStore, FakeDriver]:
    store = N.Neo4jStore("bolt://db.example:7687", "neo4j", PASSWORD, "neo4j", **kw)
    return store, fake.made[-1]


def test_open_creates_the_schema_and_records_its_version(fake):
    store, d = _open(fake, connection_timeout=2)
    assert d.auth == ("neo4j", PASSWORD) and d.config["connection_timeout"] == 2
    schema = [q for q in d.queries if q[0].startswith("CREATE ")]
    assert [q[0] for q in schema] == N.schema_statements()
    assert all(q[2] == RoutingControl.WRITE for q in schema)
    # the version check is a read, before any schema statement
    assert d.queries[0][2] == RoutingControl.READ and "Meta" in d.queries[0][0]
    assert len(d.commits) == 1 and "MERGE (m:Meta {key: $key})" in d.commits[0][0][0]
    assert d.commits[0][0][1] == {"key": "schema_version", "value": str(S.SCHEMA_VERSION)}
    assert store.describe()["location"] == "bolt://db.example:7687"
    store.close()
    assert d.closed


def test_a_newer_schema_is_refused_and_the_driver_closed(fake):
    fake.prepare = lambda d: setattr(d, "meta", "999")
    with pytest.raises(SchemaVersionError, match="newer than this program"):
        _open(fake)
    assert fake.made[-1].closed
    assert not any(q[0].startswith("CREATE ") for q in fake.made[-1].queries)


def test_an_existing_current_schema_is_not_rewritten(fake):
    fake.prepare = lambda d: setattr(d, "meta", str(S.SCHEMA_VERSION))
    _, d = _open(fake)
    assert d.commits == []  # constraints are re-asserted (IF NOT EXISTS), the version is kept


def test_refused_credentials_are_a_store_error_without_the_password(fake):
    err = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Security.Unauthorized",
                                    message=f"The client is unauthorized ({PASSWORD})")
    fake.prepare = lambda d: setattr(d, "verify_error", err)
    with pytest.raises(StoreError) as exc:
        _open(fake)
    assert "refused the credentials" in str(exc.value) and PASSWORD not in str(exc.value)
    assert fake.made[-1].closed


def test_write_reports_reads_first_then_writes_one_transaction_in_order(fake):
    store, d = _open(fake)
    d.queries.clear()
    d.commits.clear()
    out = store.write_reports([bundle("INT-1"), bundle("INT-2")])
    assert [o.status for o in out] == ["accepted", "accepted"]
    assert [q[2] for q in d.queries] == [RoutingControl.READ]  # report_keys, before the block
    assert len(d.commits) == 1
    assert d.session_configs[-1] == {"database": "neo4j",
                                     "bookmark_manager": d.execute_query_bookmark_manager}
    texts = d.committed_texts()[0]
    assert [t.splitlines()[1] if t.startswith("UNWIND") else t for t in texts][:4] == [
        "CREATE (n:Report)", "CREATE (n:Record)", "MATCH (a:Report {report_id: row.src})",
        "MATCH (a:Record {record_id: row.src})"]
    assert "MERGE (x:ReportKey" in texts[4]
    reports = d.commits[0][0][1]["rows"]
    assert {r["source_ref"] for r in reports} == {"INT-1", "INT-2"}
    assert set(reports[0]) <= set(S.REPORT.column_names())
    assert reports[0]["received_at"] == datetime(2026, 10, 2, 9, 30)
    assert reports[0]["reported_at"] == date(2026, 10, 1)


def test_a_transient_error_reruns_the_whole_batch(fake):
    store, d = _open(fake)
    d.commits.clear()
    d.attempts = 0
    d.fail_next = Neo4jError._hydrate_neo4j(code="Neo.TransientError.Transaction.DeadlockDetected",
                                            message="deadlock")
    store.write_reports([bundle("INT-3")])
    assert d.attempts == 2 and len(d.commits) == 1 and len(d.commits[0]) == 5


def test_a_missing_endpoint_fails_the_whole_batch(fake):
    store, d = _open(fake)
    d.commits.clear()
    d.missing_endpoints = 1
    with pytest.raises(StoreError, match="endpoint is missing"):
        store.write_reports([bundle("INT-4")])
    assert d.commits == []


def test_a_constraint_violation_is_a_store_error(fake):
    store, d = _open(fake)
    d.commits.clear()
    d.fail_next = Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Schema.ConstraintValidationFailed",
        message="Node(7) already exists with label `Record` and property `record_id` = 'x'")
    with pytest.raises(StoreError, match="ConstraintValidationFailed"):
        store.write_reports([bundle("INT-5")])
    assert d.commits == []


def test_nested_blocks_commit_once_and_an_error_sends_nothing(fake):
    store, d = _open(fake)
    d.commits.clear()
    with store._transaction():
        store._write("meta_set", {"key": "a", "value": "1"})
        with store._transaction():
            store._write("meta_set", {"key": "b", "value": "2"})
        assert d.commits == []
    assert len(d.commits) == 1 and [p["key"] for _, p in d.commits[0]] == ["a", "b"]
    d.commits.clear()
    with pytest.raises(RuntimeError):
        with store._transaction():
            store._write("meta_set", {"key": "c", "value": "3"})
            raise RuntimeError("boom")
    assert d.commits == []
    store._write("meta_set", {"key": "d", "value": "4"})  # the store still works
    assert len(d.commits) == 1


def test_a_read_inside_a_block_with_pending_writes_is_refused(fake):
    store, d = _open(fake)
    with pytest.raises(StoreError, match="pending writes"):
        with store._transaction():
            store._write("meta_set", {"key": "a", "value": "1"})
            store.get_meta("a")
    with store._transaction():  # a read before any write in the block is fine
        store.get_meta("a")
        store._write("meta_set", {"key": "a", "value": "1"})


def test_intents_in_base_never_read_inside_their_own_transaction(fake):
    store, d = _open(fake)
    d.rows["RETURN x.report_key AS report_key"] = []
    store.write_reports([bundle("INT-6")])
    ents = [Entity("E-1", "person", "P 1")]
    store.replace_resolution(["person"], ents, [Membership("r1", "E-1", 1.0, "t")])
    store.update_resolution(ents, [Membership("r1", "E-1", 0.9, "t")], ["E-2"])
    store.replace_entity_links([])
    store.update_entity_flags({"E-1": ["hub"]})
    store.put_docs("scans", {"a": {"n": 1}})
    store.delete_docs("scans", ["a"])
    store.add_judgement(Judgement("J1", "a", "b", "same", "an1", "", datetime(2026, 1, 1)))


def test_bulk_rows_carry_only_schema_columns_with_schema_types(fake):
    store, d = _open(fake)
    d.commits.clear()
    store._create_rows("Record", [{"record_id": "r1", "report_id": "x", "record_type": "person",
                                   "lat": 52, "keys": ("k1",), "not_a_column": "dropped",
                                   "display": None}])
    store._create_rows("RESOLVED_TO", [{"src": "r1", "dst": "E-1", "score": 1, "rule": "t",
                                        "extra": "dropped"}])
    (rec_text, rec), = d.commits[0]
    row = rec["rows"][0]
    assert row == {"record_id": "r1", "report_id": "x", "record_type": "person", "keys": ["k1"],
                   "lat": 52.0}
    assert isinstance(row["lat"], float)
    (rel_text, rel), = d.commits[1]
    assert rel["rows"] == [{"src": "r1", "dst": "E-1", "props": {"score": 1.0, "rule": "t"}}]


def test_bulk_creates_are_chunked_in_one_transaction(fake):
    store, d = _open(fake)
    d.commits.clear()
    n = N.BATCH * 2 + 5
    store._create_rows("Doc", [{"doc_id": f"d{i}", "collection": "c", "body": "{}"} for i in range(n)])
    assert len(d.commits) == 1
    assert [len(p["rows"]) for _, p in d.commits[0]] == [N.BATCH, N.BATCH, 5]


def test_aware_datetimes_are_sent_as_naive_utc():
    aware = datetime(2026, 3, 29, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    sent = N._param({"rows": [{"at": aware, "d": date(2026, 1, 2), "t": ("a", "b")}]})
    assert sent == {"rows": [{"at": datetime(2026, 3, 29, 10, 0), "d": date(2026, 1, 2),
                              "t": ["a", "b"]}]}


def test_driver_temporal_values_come_back_as_python_values():
    from neo4j.time import Date, DateTime

    row = N._native({"d": Date(2026, 10, 1), "ts": DateTime(2026, 10, 2, 9, 30, 0),
                     "tz": DateTime(2026, 10, 2, 11, 30, 0, tzinfo=timezone(timedelta(hours=2))),
                     "l": [Date(2026, 1, 1)], "s": "x"})
    assert row == {"d": date(2026, 10, 1), "ts": datetime(2026, 10, 2, 9, 30),
                   "tz": datetime(2026, 10, 2, 9, 30), "l": [date(2026, 1, 1)], "s": "x"}


def test_counts_use_schema_labels(fake):
    store, d = _open(fake)
    d.rows["RETURN x.record_type AS t"] = [{"t": "person", "n": 2}]
    d.rows["RETURN x.entity_type AS t"] = [{"t": "phone", "n": 1}]
    d.rows["RETURN count(x) AS n"] = [{"n": 3}]
    counts = store.counts()
    assert counts["Record:person"] == 2 and counts["Entity:phone"] == 1 and counts["LINK"] == 3
    assert all(q[2] == RoutingControl.READ for q in d.queries[-8:])


def test_ping_is_one_unretried_read_and_a_lost_server_is_a_store_error(fake):
    store, d = _open(fake)
    assert store.ping() is True and d.auto_commits == ["RETURN 1 AS ok"]
    d.down = True
    with pytest.raises(StoreError, match="unreachable"):
        store.records()
    assert store.ping() is False


# -- docker-compose.yml ----------------------------------------------------------------------------
def test_compose_file_has_the_services_the_deployment_needs():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for needle in ("image: neo4j:5-community", "NEO4J_AUTH: ${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:?",
                   "cypher-shell", "condition: service_healthy", "LINKAGE_NEO4J_URI: bolt://neo4j:7687",
                   "/healthz", '"scan", "--every", "24h", "--at", "${LINKAGE_SCAN_AT:-06:00}"',
                   "restart: unless-stopped", "7474:7474", "7687:7687", "8000:8000"):
        assert needle in text, needle
    for service in ("neo4j", "api", "scanner"):
        assert re.search(rf"^  {service}:$", text, re.MULTILINE), service
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile and "USER linkage" in dockerfile
    assert 'CMD ["linkage", "serve", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile


def _compose_cli() -> list[str] | None:
    for cmd in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(cmd[0]) is None:
            continue
        probe = subprocess.run([*cmd, "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return cmd
    return None


def test_compose_file_validates_with_the_docker_compose_cli():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("docker compose CLI not installed (neither the `docker compose` plugin nor "
                    "`docker-compose`); the compose file was checked against the compose-spec "
                    "JSON schema when it was written")
    env = {**os.environ, "NEO4J_PASSWORD": "x" * 12}
    ok = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                        capture_output=True, text=True, env=env, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    env.pop("NEO4J_PASSWORD")
    missing = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                             capture_output=True, text=True, env=env, cwd=ROOT)
    assert missing.returncode != 0 and "NEO4J_PASSWORD" in missing.stderr


# -- optional: Neo4j's own parser --------------------------------------------------------------------
_LINT = r"""
const { lintCypherQuery } = require('@neo4j-cypher/language-support');
const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const [name, text] of Object.entries(queries)) {
  const r = lintCypherQuery(text, { defaultLanguage: 'CYPHER 5' }, { consoleCommandsEnabled: false });
  out[name] = r.diagnostics.filter(d => d.severity === 1 &&
    !(d.message.startsWith('Parameter ') && d.message.endsWith(' is not defined.'))).map(d => d.message);
}
console.log(JSON.stringify(out));
"""


def test_neo4j_cypher_passes_neo4j_parser_and_semantic_analysis(tmp_path):
    lint_dir = os.environ.get("LINKAGE_CYPHER_LINT_DIR")
    modules = Path(lint_dir or "/nonexistent") / "node_modules"
    if not lint_dir or shutil.which("node") is None or not (modules / "@neo4j-cypher" / "language-support").exists():
        pytest.skip("set LINKAGE_CYPHER_LINT_DIR to a folder where "
                    "`npm install @neo4j-cypher/language-support` ran (cypher/README.md)")
    queries = {name: query("store", name, "neo4j").text for name in catalogue("store")}
    queries.update({f"schema:{i}": s for i, s in enumerate(N.schema_statements())})
    queries.update({f"create:{t}": N.create_cypher(t) for t in S.TABLES})
    queries.update({f"count:{t}": N.count_cypher(t) for t in S.TABLES})
    script = tmp_path / "lint.cjs"
    script.write_text(_LINT, encoding="utf-8")
    run = subprocess.run(["node", str(script)], input=json.dumps(queries), capture_output=True,
                         text=True, env={**os.environ, "NODE_PATH": str(modules)}, timeout=300)
    assert run.returncode == 0, run.stderr
    errors = {k: v for k, v in json.loads(run.stdout).items() if v}
    assert errors == {}
