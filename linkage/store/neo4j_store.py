"""The Neo4j 5 adapter: the production store, through the official `neo4j` driver over Bolt.

Rules from LADYBUG-NEO4J.md (§5, §6) and the driver manual that shape this file:
- one Driver per store (drivers are thread-safe and expensive; sessions are neither, so every
  call opens its own short session);
- `verify_connectivity()` on open, so a wrong URI or wrong credentials fail at once with a
  message that names the URI and the user, never the password;
- single statements run through `driver.execute_query` (a managed, retried transaction), reads
  routed to readers (`RoutingControl.READ`), writes to the leader; transaction blocks share
  execute_query's bookmark manager, so every read sees every earlier write (causal chaining);
- a `_transaction()` block collects its writes and runs them, in order, in ONE managed write
  transaction (`session.execute_write`) when the outermost block exits: the batch is all or
  nothing and is retried on transient errors. The transaction function only re-runs the
  collected statements, so a retry is safe. Consequence: a read inside such a block does not
  see the block's own pending writes; the store refuses that read instead of answering wrongly;
- bulk creates are `UNWIND $rows ... CREATE ... SET n += row` in 10k-row chunks; labels and
  relationship types come only from `schema.TABLES`, never from input; a relationship whose
  endpoint is missing fails the batch (as LadybugDB's COPY does) instead of vanishing;
- the schema is `cypher/schema/001_constraints.cypher` (generated from schema.py), one
  statement per `;`, each in its own transaction (Neo4j refuses schema and data changes in one
  transaction); the schema version lives in `(:Meta {key: 'schema_version'})`.

Temporal values: Python `date` is sent as a Cypher DATE; a naive `datetime` is sent as a
LOCAL DATETIME, which is what the store keeps (naive UTC, as in the embedded store). A
timezone-aware `datetime` is converted to naive UTC before it is sent, so every timestamp in the
graph has one type (Neo4j does not order or compare LOCAL DATETIME with ZONED DATETIME). Values
come back as Python `date` / naive `datetime`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from neo4j import READ_ACCESS, GraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError, ClientError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable,
    SessionExpired,
)

from linkage.errors import SchemaVersionError, StoreError
from linkage.store import schema as S
from linkage.store.base import BATCH, CypherStore
from linkage.store.queries import CYPHER_DIR, query

log = logging.getLogger(__name__)

SCHEMA_FILE = CYPHER_DIR / "schema" / "001_constraints.cypher"

BOLT_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

# Steps that bring an older database up to SCHEMA_VERSION: {from_version: [statements]}.
# Schema statements and data statements must not share a step (Neo4j runs each on its own).
MIGRATIONS: dict[int, list[str]] = {}


class _Statement:
    """One write waiting in a transaction block; `expect` is the row count it must report."""

    __slots__ = ("text", "params", "expect", "what")

    def __init__(self, text: str, params: dict, what: str, expect: int | None = None):
        self.text = text
        self.params = params
        self.what = what
        self.expect = expect


class _TxState(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.pending: list[_Statement] = []


class Neo4jStore(CypherStore):
    kind = "neo4j"
    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = "neo4j", *,
                 connection_timeout: float = 15.0, ensure: bool = True, **driver_config: Any):
        self.uri = uri
        self.location = _public_uri(uri)
        self.user = user
        self.database = database or None  # None: the server's home database
        self._secrets = [x for x in (password, _uri_password(uri)) if x]
        self._tx = _TxState()
        self._closed = False
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreError(
                f"invalid Neo4j URI {self.location!r}: use bolt://host:7687 (one server) or "
                "neo4j://host:7687 (routing; +s / +ssc for TLS)")
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password),
                                                connection_timeout=connection_timeout,
                                                **driver_config)
        except (ConfigurationError, ValueError, TypeError) as exc:
            raise StoreError(f"invalid Neo4j URI {self.location!r}: {self._scrub(exc)}") from None
        try:
            self._driver.verify_connectivity()
        except AuthError:
            self._driver.close()
            raise StoreError(
                f"Neo4j at {self.location} refused the credentials of user {user!r}: check "
                "NEO4J_USER and NEO4J_PASSWORD") from None
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            self._driver.close()
            raise StoreError(
                f"cannot reach Neo4j at {self.location} ({self._scrub(exc)}); is the server "
                "running (`docker compose up neo4j`) and LINKAGE_NEO4J_URI right?") from None
        except (Neo4jError, DriverError) as exc:
            self._driver.close()
            raise StoreError(f"cannot open Neo4j at {self.location}: {self._scrub(exc)}") from None
        if ensure:
            try:
                self.ensure_schema()
            except BaseException:
                self._driver.close()
                raise

    # -- lifecycle --------------------------------------------------------------------------
    def ensure_schema(self) -> int:
        """Create the constraints and indexes (idempotent) and record the schema version.

        A database written by a newer program is refused; an older one is migrated.
        """
        version = self._check_version()
        for stmt in schema_statements():
            self._run(stmt, {}, RoutingControl.WRITE, "schema")
        if version < S.SCHEMA_VERSION:
            if version:
                self._migrate(version)
            self.set_meta("schema_version", str(S.SCHEMA_VERSION))
        return S.SCHEMA_VERSION

    def _check_version(self) -> int:
        value = self.get_meta("schema_version")
        version = int(value) if value else 0
        if version > S.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"the Neo4j database {self.database or '(home)'} at {self.location} has schema "
                f"version {version}, newer than this program's {S.SCHEMA_VERSION}; upgrade "
                "linkage before opening it")
        return version

    def _migrate(self, version: int) -> None:
        for v in range(version, S.SCHEMA_VERSION):
            for stmt in MIGRATIONS.get(v, []):
                self._run(stmt, {}, RoutingControl.WRITE, f"migration from {v}")
        log.info("Neo4j store migrated from schema %s to %s", version, S.SCHEMA_VERSION)

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "location": self.location, "database": self.database,
                "read_only": False, "schema_version": int(self.get_meta("schema_version") or 0)}

    def ping(self) -> bool:
        """One auto-commit read: unlike execute_query it is not retried, so a readiness probe
        answers within the connection timeout instead of the 30 s retry window."""
        try:
            with self._driver.session(database=self.database,
                                      default_access_mode=READ_ACCESS) as session:
                session.run("RETURN 1 AS ok").consume()
            return True
        except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
            return False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._driver.close()

    # -- dialect ----------------------------------------------------------------------------
    def _read(self, name: str, params: dict | None = None) -> list[dict]:
        return self._run(query("store", name, self.dialect).text, params or {},
                         RoutingControl.READ, name)

    def _write(self, name: str, params: dict | None = None) -> None:
        self._submit(_Statement(query("store", name, self.dialect).text, _param(params or {}), name))

    def _write_raw(self, text: str, params: dict | None = None) -> None:
        """Run one literal write statement (test fixtures and maintenance only)."""
        self._submit(_Statement(text, _param(params or {}), "statement"))

    def _create_rows(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        spec = S.TABLES[table]  # KeyError for anything that is not a declared table
        text = create_cypher(table)
        if isinstance(spec, S.RelTable):
            data = [{"src": r["src"], "dst": r["dst"], "props": _typed(r, spec.columns)}
                    for r in rows]
        else:
            data = [_typed(r, spec.columns) for r in rows]
        rel = isinstance(spec, S.RelTable)
        # One call is one unit, as one COPY is in the embedded store.
        with self._transaction():
            for i in range(0, len(data), BATCH):
                part = data[i:i + BATCH]
                self._submit(_Statement(text, {"rows": part}, f"create {table}",
                                        len(part) if rel else None))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        tx = self._tx
        outer = tx.depth == 0
        if outer:
            tx.pending = []
        tx.depth += 1
        try:
            yield
        except BaseException:
            tx.depth -= 1
            if outer:
                tx.pending = []  # nothing was sent: dropping the batch is the rollback
            raise
        tx.depth -= 1
        if outer:
            batch, tx.pending = tx.pending, []
            if batch:
                self._commit(batch)

    def _count(self, label: str, where_type: str | None = None) -> dict[str, int]:
        rows = self._run(count_cypher(label, where_type), {}, RoutingControl.READ,
                         f"count {label}")
        if where_type and not isinstance(S.TABLES[label], S.RelTable):
            return {r["t"]: r["n"] for r in rows}
        return {"": rows[0]["n"] if rows else 0}

    # -- running ----------------------------------------------------------------------------
    def _submit(self, stmt: _Statement) -> None:
        if self._tx.depth:
            self._tx.pending.append(stmt)
        else:
            self._commit([stmt])

    def _run(self, text: str, params: dict, routing: RoutingControl, what: str) -> list[dict]:
        """One statement in its own managed (retried) transaction; rows as plain dicts."""
        if routing == RoutingControl.READ and self._tx.pending:
            raise StoreError(
                f"read {what!r} inside a Neo4j transaction block that has pending writes: the "
                "writes run when the block ends, so the read would not see them. Read before "
                "opening the block.")
        try:
            records, _, _ = self._driver.execute_query(
                text, parameters_=_param(params), database_=self.database, routing_=routing)
        except Exception as exc:  # noqa: BLE001 - every driver failure becomes a StoreError
            raise self._error(exc, what) from None
        return [_native(r.data()) for r in records]

    def _commit(self, batch: list[_Statement]) -> None:
        """Run the statements in order in ONE managed write transaction (retried as a whole)."""

        def work(tx) -> None:
            for stmt in batch:
                result = tx.run(stmt.text, stmt.params)
                if stmt.expect is None:
                    result.consume()
                    continue
                row = result.single()
                got = row["created"] if row else 0
                if got != stmt.expect:
                    raise _Mismatch(stmt, got)

        try:
            # The driver's execute_query bookmark manager chains this session with the reads
            # (execute_query), so a read after a commit sees it, in a cluster too.
            with self._driver.session(
                    database=self.database,
                    bookmark_manager=self._driver.execute_query_bookmark_manager) as session:
                session.execute_write(work)
        except _Mismatch as exc:
            raise StoreError(
                f"{exc.stmt.what}: {exc.got} of {exc.stmt.expect} relationships found both "
                "endpoints (an endpoint is missing or not unique); nothing was written") from None
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc, batch[0].what if len(batch) == 1 else
                              f"transaction of {len(batch)} statements") from None

    def _error(self, exc: BaseException, what: str) -> StoreError:
        if isinstance(exc, StoreError):
            return exc
        if isinstance(exc, AuthError):
            return StoreError(f"Neo4j at {self.location} refused the credentials of user "
                              f"{self.user!r}: check NEO4J_USER and NEO4J_PASSWORD")
        if isinstance(exc, (ServiceUnavailable, SessionExpired)):
            return StoreError(f"Neo4j at {self.location} is unreachable ({what}): "
                              f"{self._scrub(exc)}")
        if isinstance(exc, Neo4jError):
            code = exc.code or "error"
            if code.endswith("DatabaseNotFound"):
                return StoreError(f"Neo4j at {self.location} has no database "
                                  f"{self.database!r}: set NEO4J_DATABASE")
            kind = "rejected" if isinstance(exc, ClientError) else "failed"
            return StoreError(f"Neo4j {kind} {what} ({code}): {self._scrub(exc.message or exc)}")
        if isinstance(exc, DriverError):
            return StoreError(f"Neo4j driver error ({what}): {self._scrub(exc)}")
        if isinstance(exc, (TypeError, ValueError)):  # a parameter the driver cannot send
            return StoreError(f"cannot send {what} to Neo4j: {self._scrub(exc)}")
        raise exc  # not a store failure (a bug): let it surface as itself

    def _scrub(self, exc: object) -> str:
        """A driver message safe to show: the URI without userinfo, no password anywhere."""
        text = str(exc).replace(self.uri, self.location)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return " ".join(text.split())  # one line: the CLI prints errors on one line


class _Mismatch(Exception):
    def __init__(self, stmt: _Statement, got: int):
        super().__init__(stmt.what)
        self.stmt = stmt
        self.got = got


# -- helpers ---------------------------------------------------------------------------------
def create_cypher(table: str) -> str:
    """The bulk-create statement of a declared table (labels and types only from the schema).

    Nodes: `UNWIND $rows AS row CREATE (n:Label) SET n += row`, rows holding only schema
    columns. Relationships: both endpoints matched by their key in separate MATCH clauses (the
    fast plan, LADYBUG-NEO4J.md §1), then `SET r += row.props`; the statement returns how many
    it created so the adapter can refuse a batch with a missing endpoint.
    """
    spec = S.TABLES[table]
    if isinstance(spec, S.RelTable):
        src, dst = S.TABLES[spec.src], S.TABLES[spec.dst]
        return (f"UNWIND $rows AS row\n"
                f"MATCH (a:{src.name} {{{src.key}: row.src}})\n"
                f"MATCH (b:{dst.name} {{{dst.key}: row.dst}})\n"
                f"CREATE (a)-[r:{spec.name}]->(b)\n"
                f"SET r += row.props\n"
                f"RETURN count(r) AS created")
    return f"UNWIND $rows AS row\nCREATE (n:{spec.name})\nSET n += row"


def count_cypher(label: str, where_type: str | None = None) -> str:
    """How many nodes of a label (per value of one of its columns), or relationships of a type."""
    if label not in S.TABLES:
        raise KeyError(label)
    spec = S.TABLES[label]
    if isinstance(spec, S.RelTable):
        return f"MATCH ()-[x:{spec.name}]->() RETURN count(x) AS n"
    if where_type:
        if where_type not in spec.column_names():
            raise KeyError(f"{label}.{where_type}")
        return f"MATCH (x:{spec.name}) RETURN x.{where_type} AS t, count(x) AS n ORDER BY t"
    return f"MATCH (x:{spec.name}) RETURN count(x) AS n"


def schema_statements(text: str | None = None) -> list[str]:
    """The statements of the schema file: comment lines dropped, one statement per `;`."""
    if text is None:
        if not SCHEMA_FILE.exists():
            raise StoreError(f"the Neo4j schema file {SCHEMA_FILE} is missing")
        text = SCHEMA_FILE.read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    return [s.strip() for s in body.split(";") if s.strip()]


def _uri_password(uri: str) -> str | None:
    try:
        return urlsplit(uri).password
    except ValueError:
        return None


def _public_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages and describe()."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _param(value: Any) -> Any:
    """Parameters as the driver sends them: aware datetimes as naive UTC, tuples/sets as lists."""
    if isinstance(value, dict):
        return {k: _param(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_param(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [_param(v) for v in sorted(value)]
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _typed(row: dict, columns: tuple[tuple[str, str], ...]) -> dict:
    """Only the schema's columns, each coerced to its declared type (Neo4j is schemaless, so
    the adapter keeps the types the embedded store's tables enforce). None is left out: Neo4j
    does not store null properties, and reading a missing property gives null."""
    out: dict[str, Any] = {}
    for col, ty in columns:
        v = row.get(col)
        if v is None:
            continue
        if ty == "DOUBLE":
            v = float(v)
        elif ty == "INT64":
            v = int(v)
        elif ty == "BOOL":
            v = bool(v)
        elif ty == "DATE":
            v = v.date() if isinstance(v, datetime) else v
        elif ty == "TIMESTAMP":
            v = _param(v)
        elif ty.endswith("[]"):
            v = list(v)
        out[col] = v
    return out


def _native(value: Any) -> Any:
    """Driver values as Python ones: neo4j.time Date -> date, DateTime -> naive UTC datetime."""
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    if hasattr(value, "to_native") and not isinstance(value, (date, datetime)):
        value = value.to_native()
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value
