"""The audit log: append-only and hash-chained, in SQLite.

Every consultation, disclosure, ingest, judgement and dispatch is one entry (DPA 2018 s.62:
who, what, when, why). Each entry carries the hash of the previous one, so changing or removing
any entry breaks the chain from there on; `verify()` finds where. Entries hold ids and
parameters, which may be personal data: the audit log is protected data, unlike application logs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

GENESIS = "0" * 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    force TEXT,
    action TEXT NOT NULL,
    purpose TEXT,
    subject TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_subject ON audit(subject);
CREATE INDEX IF NOT EXISTS audit_action ON audit(action);
"""

_FIELDS = ("seq", "at", "actor", "role", "force", "action", "purpose", "subject", "details", "prev_hash")


@dataclass
class Verification:
    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str | None = None


def _digest(row: dict) -> str:
    body = json.dumps([row[f] for f in _FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def current_actor() -> str:
    return os.environ.get("LINKAGE_USER") or os.environ.get("USER") or "unknown"


class AuditLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        with self._lock:
            self._conn().executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        """One connection per log, used under the lock (the API appends on every request).

        WAL with synchronous=NORMAL: a committed entry survives the application crashing; only
        a power cut can lose the last few, and the chain still verifies up to them."""
        if self._db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._db = db
        return self._db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def append(self, action: str, *, actor: str, role: str | None = None, force: str | None = None,
               purpose: str | None = None, subject: str | None = None, **details: Any) -> dict:
        """Append one entry; `subject` is what it is about (a report ref, an entity id...)."""
        at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        body = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
        with self._lock:
            db = self._conn()
            try:
                db.execute("BEGIN IMMEDIATE")  # one appender at a time, across processes too
                last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                row = {"seq": seq, "at": at, "actor": actor, "role": role, "force": force,
                       "action": action, "purpose": purpose, "subject": subject, "details": body,
                       "prev_hash": prev}
                row["hash"] = _digest(row)
                db.execute("INSERT INTO audit VALUES (:seq,:at,:actor,:role,:force,:action,:purpose,"
                           ":subject,:details,:prev_hash,:hash)", row)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return row

    def append_many(self, entries: list[dict]) -> list[dict]:
        """Append several entries in one transaction (each: action, actor, and the optional
        role, force, purpose, subject, plus details), chained in order."""
        rows = []
        with self._lock:
            db = self._conn()
            try:
                db.execute("BEGIN IMMEDIATE")
                last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                for e in entries:
                    e = dict(e)
                    row = {"seq": seq, "at": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
                           "actor": e.pop("actor"), "role": e.pop("role", None), "force": e.pop("force", None),
                           "action": e.pop("action"), "purpose": e.pop("purpose", None),
                           "subject": e.pop("subject", None),
                           "details": json.dumps(e, ensure_ascii=False, sort_keys=True, default=str),
                           "prev_hash": prev}
                    row["hash"] = _digest(row)
                    db.execute("INSERT INTO audit VALUES (:seq,:at,:actor,:role,:force,:action,:purpose,"
                               ":subject,:details,:prev_hash,:hash)", row)
                    rows.append(row)
                    seq, prev = seq + 1, row["hash"]
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return rows

    def entries(self, *, subject: str | None = None, action: str | None = None,
                subject_prefix: str | None = None, limit: int | None = None) -> list[dict]:
        sql = "SELECT * FROM audit"
        where, args = [], []
        if subject is not None:
            where.append("subject = ?")
            args.append(subject)
        if subject_prefix is not None:
            where.append("subject LIKE ?")
            args.append(subject_prefix.replace("%", r"\%") + "%")
        if action is not None:
            where.append("action = ?")
            args.append(action)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        if limit:
            sql += f" LIMIT {int(limit)}"
        db = self._connect()
        db.row_factory = sqlite3.Row
        try:
            rows = [dict(r) for r in db.execute(sql, args)]
        finally:
            db.close()
        for r in rows:
            r["details"] = json.loads(r["details"])
        return rows

    def _raw(self) -> Iterator[dict]:
        db = self._connect()
        db.row_factory = sqlite3.Row
        try:
            yield from (dict(r) for r in db.execute("SELECT * FROM audit ORDER BY seq"))
        finally:
            db.close()

    def verify(self) -> Verification:
        prev = GENESIS
        expected_seq = 1
        n = 0
        for row in self._raw():
            n += 1
            if row["seq"] != expected_seq:
                return Verification(False, n, row["seq"], f"entry {expected_seq} is missing")
            if row["prev_hash"] != prev:
                return Verification(False, n, row["seq"], "does not follow the entry before it")
            if _digest(row) != row["hash"]:
                return Verification(False, n, row["seq"], "its content was changed after it was written")
            prev = row["hash"]
            expected_seq += 1
        return Verification(True, n)
