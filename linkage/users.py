"""API users: a name, a role, an optional force, and a bearer token kept only as its hash.

Tokens are 32 random bytes (URL-safe text); the store keeps their SHA-256, so the users file
does not hold anything that lets one call the API. A token is shown once, when the user is
added. Users live in SQLite at `settings.state_dir()/users.sqlite`, beside the audit log.

Roles (what each may do is declared per route in `api/`):
- `analyst`: read and judge;
- `hub`: route referrals and manage dispatches (the SOCEX hub); also reads;
- `force`: sees and acknowledges only its own force's dispatches and what they disclose;
- `ingest`: writes reports only;
- `admin`: everything.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path

from linkage.errors import NotFound, UserError


class Role(StrEnum):
    ANALYST = "analyst"
    HUB = "hub"
    FORCE = "force"
    INGEST = "ingest"
    ADMIN = "admin"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    force TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    force: str | None = None
    created_at: str | None = None
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class UserStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
        # authenticate() runs on every API request: it keeps one connection and the users it
        # has verified, and forgets them all as soon as the users file changes (a user added or
        # revoked by this process or by `linkage users` in another), so a revocation takes
        # effect on the next request.
        self._auth_lock = threading.Lock()
        self._auth_db: sqlite3.Connection | None = None
        self._auth_version: int | None = None
        self._verified: dict[str, User] = {}

    @classmethod
    def for_settings(cls, settings) -> "UserStore":
        return cls(settings.state_dir() / "users.sqlite")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def add(self, name: str, role: str, *, force: str | None = None) -> tuple[User, str]:
        """Add (or re-issue a revoked) user; returns the user and its token (shown once)."""
        name = (name or "").strip()
        if not name:
            raise UserError("give the user a name")
        try:
            role = Role(role).value
        except ValueError:
            raise UserError(f"unknown role {role!r}: use one of {', '.join(r.value for r in Role)}") from None
        if force is not None:
            from linkage.model import FORCE_CODES, force_code

            code = force_code(force)
            if code not in FORCE_CODES:
                raise UserError(f"unknown force {force!r}: use a force code such as west-midlands")
            force = code
        if role == Role.FORCE and not force:
            raise UserError("a force user needs --force CODE (e.g. --force west-midlands)")
        token = secrets.token_urlsafe(32)
        db = self._connect()
        try:
            with db:
                row = db.execute("SELECT revoked_at FROM users WHERE name = ?", (name,)).fetchone()
                if row is not None and row["revoked_at"] is None:
                    raise UserError(f"user {name} exists; revoke it first to issue a new token")
                db.execute("INSERT OR REPLACE INTO users (name, role, force, token_hash, created_at, revoked_at) "
                           "VALUES (?, ?, ?, ?, ?, NULL)", (name, role, force, token_hash(token), _now()))
        finally:
            db.close()
        return self.get(name), token

    def get(self, name: str) -> User:
        db = self._connect()
        try:
            row = db.execute("SELECT name, role, force, created_at, revoked_at FROM users WHERE name = ?",
                             (name,)).fetchone()
        finally:
            db.close()
        if row is None:
            raise NotFound(f"no user {name}")
        return User(**dict(row))

    def list(self) -> list[User]:
        db = self._connect()
        try:
            rows = db.execute("SELECT name, role, force, created_at, revoked_at FROM users ORDER BY name").fetchall()
        finally:
            db.close()
        return [User(**dict(r)) for r in rows]

    def revoke(self, name: str) -> User:
        db = self._connect()
        try:
            with db:
                cur = db.execute("UPDATE users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                                 (_now(), name))
                if cur.rowcount == 0:
                    exists = db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone()
                    if exists is None:
                        raise NotFound(f"no user {name}")
        finally:
            db.close()
        return self.get(name)

    def authenticate(self, token: str) -> User | None:
        """The active user holding this token, else None."""
        if not token:
            return None
        digest = token_hash(token)
        with self._auth_lock:
            if self._auth_db is None:
                self._auth_db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                self._auth_db.row_factory = sqlite3.Row
            db = self._auth_db
            # changes whenever another connection commits to the file (every add and revoke
            # uses a connection of its own)
            version = db.execute("PRAGMA data_version").fetchone()[0]
            if version != self._auth_version:
                self._verified.clear()
                self._auth_version = version
            user = self._verified.get(digest)
            if user is None:
                row = db.execute("SELECT name, role, force, created_at, revoked_at FROM users "
                                 "WHERE token_hash = ? AND revoked_at IS NULL", (digest,)).fetchone()
                if row is None:
                    return None  # unknown tokens are not remembered: they would fill memory
                user = self._verified[digest] = User(**dict(row))
            return user

    def close(self) -> None:
        with self._auth_lock:
            if self._auth_db is not None:
                self._auth_db.close()
                self._auth_db = None
