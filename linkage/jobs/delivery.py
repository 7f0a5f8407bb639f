"""Delivering dispatches to forces: per-force targets, an outbox, retries with backoff.

Each dispatch puts one item in the "outbox" collection per delivery round, keyed by its
idempotency key (`<dispatch id>.<round>`). `deliver_due` sends every item whose time has come:

- **webhook**: an HTTPS POST of the JSON body with `X-Linkage-Signature: sha256=<hex>` (HMAC-SHA256
  of the body with the force's shared secret), `X-Linkage-Timestamp` and `Idempotency-Key`
  headers. 2xx (or 409, "already have it") is delivered. Plain http is refused except for
  127.0.0.1 / localhost / ::1 (local receivers and tests);
- **folder**: the body written to `<path>/<idempotency key>.json` through a temporary file and an
  atomic link/rename; a file already there means it was delivered before, so nothing is written
  twice.

A failed attempt keeps its error on the outbox item and the dispatch (status `failed`, visible in
`linkage dispatches --status failed`) and is tried again after an exponential backoff, at most
`max_attempts` times; `linkage dispatch resend` starts a new round after that. A retry reuses the
key, so a receiver that already has it (the response was lost) can drop the copy.

Delivery targets come from the TOML file in `settings.delivery_config` (see docs/ROUTING.md);
webhook secrets are read from the environment variable each target names, when the file is loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from linkage.errors import UserError
from linkage.jobs import dispatch_model as M
from linkage.model import FORCE_CODES, force_code, force_name

log = logging.getLogger(__name__)

DISPATCHES = "dispatches"
OUTBOX = "outbox"

QUEUED = "queued"
DELIVERED = "delivered"
CANCELLED = "cancelled"
RETRYING = "failed"

PAYLOAD_SCHEMA = "linkage.dispatch/1"
SIGNATURE_HEADER = "X-Linkage-Signature"
TIMESTAMP_HEADER = "X-Linkage-Timestamp"
KEY_HEADER = "Idempotency-Key"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CHUNK = 25  # attempts made between two writes of their results

_DELIVERY_LOCK = threading.Lock()  # one delivery run at a time in this process


# -- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Retry:
    max_attempts: int = 8
    backoff_seconds: float = 60.0
    max_backoff_seconds: float = 6 * 3600.0

    def delay(self, attempts: int) -> timedelta:
        """Wait after the `attempts`-th failure: base, 2 x base, 4 x base ... up to the cap."""
        seconds = self.backoff_seconds * (2 ** max(attempts - 1, 0))
        return timedelta(seconds=min(seconds, self.max_backoff_seconds))


@dataclass(frozen=True)
class Target:
    force: str
    kind: str  # "webhook" | "folder"
    url: str | None = None
    path: Path | None = None
    secret_env: str | None = None
    secret: bytes | None = field(default=None, repr=False)
    timeout_seconds: float = 10.0

    def describe(self) -> str:
        return f"webhook {self.url}" if self.kind == "webhook" else f"folder {self.path}"


@dataclass(frozen=True)
class DeliveryConfig:
    targets: dict[str, Target] = field(default_factory=dict)
    retry: Retry = Retry()
    deadlines: M.Deadlines = M.Deadlines()
    source: str | None = None

    def target(self, force: str) -> Target | None:
        return self.targets.get(force)

    @classmethod
    def load(cls, path: str | Path | None, *, environ: Mapping[str, str] | None = None) -> DeliveryConfig:
        """Read the TOML file (none: no targets, default retries and deadlines)."""
        if path is None:
            return cls()
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"delivery config {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"delivery config {path} is not valid TOML: {exc}") from None
        return cls.from_dict(data, base=path.parent, source=str(path),
                             environ=os.environ if environ is None else environ)

    @classmethod
    def from_dict(cls, data: dict, *, base: Path = Path("."), source: str | None = None,
                  environ: Mapping[str, str] | None = None) -> DeliveryConfig:
        environ = environ or {}
        where = source or "delivery config"
        _known(data, {"forces", "retry", "deadlines", "webhook"}, where)
        r = data.get("retry") or {}
        _known(r, {"max_attempts", "backoff_seconds", "max_backoff_seconds"}, f"{where} [retry]")
        retry = Retry(int(r.get("max_attempts", Retry.max_attempts)),
                      float(r.get("backoff_seconds", Retry.backoff_seconds)),
                      float(r.get("max_backoff_seconds", Retry.max_backoff_seconds)))
        if retry.max_attempts < 1 or retry.backoff_seconds < 0:
            raise UserError(f"{where} [retry]: max_attempts must be at least 1 and "
                            "backoff_seconds not negative")
        d = data.get("deadlines") or {}
        _known(d, {"immediate_hours", "routine_hours"}, f"{where} [deadlines]")
        deadlines = M.Deadlines(float(d.get("immediate_hours", M.Deadlines.immediate_hours)),
                                float(d.get("routine_hours", M.Deadlines.routine_hours)))
        w = data.get("webhook") or {}
        _known(w, {"timeout_seconds"}, f"{where} [webhook]")
        timeout = float(w.get("timeout_seconds", 10.0))
        targets: dict[str, Target] = {}
        for name, spec in (data.get("forces") or {}).items():
            code = force_code(name)
            if code is None:
                raise UserError(f"{where}: [forces.{name}] is not a force; use a force code such "
                                f"as west-midlands ({len(FORCE_CODES)} codes in FORMATS.md)")
            targets[code] = _target(code, spec, base, environ, timeout, f"{where} [forces.{name}]")
        return cls(targets, retry, deadlines, source)


def _known(table: dict, keys: set[str], where: str) -> None:
    if not isinstance(table, dict):
        raise UserError(f"{where} must be a table")
    extra = set(table) - keys
    if extra:
        raise UserError(f"{where}: unknown setting {', '.join(sorted(extra))} "
                        f"(expected {', '.join(sorted(keys))})")


def _target(code: str, spec: dict, base: Path, environ: Mapping[str, str], timeout: float,
            where: str) -> Target:
    _known(spec, {"kind", "url", "secret_env", "path", "timeout_seconds"}, where)
    kind = spec.get("kind")
    if kind == "webhook":
        url = spec.get("url")
        if not url:
            raise UserError(f"{where}: a webhook needs a url")
        check_url(url, where)
        env = spec.get("secret_env")
        if not env:
            raise UserError(f"{where}: a webhook needs secret_env, the environment variable that "
                            "holds its shared secret")
        secret = environ.get(env)
        return Target(code, "webhook", url=url, secret_env=env,
                      secret=secret.encode("utf-8") if secret else None,
                      timeout_seconds=float(spec.get("timeout_seconds", timeout)))
    if kind == "folder":
        if not spec.get("path"):
            raise UserError(f"{where}: a folder needs a path")
        p = Path(spec["path"]).expanduser()
        return Target(code, "folder", path=p if p.is_absolute() else base / p)
    raise UserError(f"{where}: kind must be \"webhook\" or \"folder\", not {kind!r}")


def check_url(url: str, where: str = "webhook") -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS:
        return
    raise UserError(f"{where}: {url!r} must be an https:// URL (plain http only for "
                    "127.0.0.1 or localhost)")


# -- the body --------------------------------------------------------------------------------

def payload_for(dispatch: dict, report: dict, key: str) -> dict:
    """What the force receives: the report (kind, source_ref, dates, the raw payload), why it was
    sent to this force, its priority, deadline, handling code and conditions."""
    raw = report.get("raw")
    try:
        original = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        original = raw
    return {
        "schema": PAYLOAD_SCHEMA,
        "idempotency_key": key,
        "dispatch_id": dispatch["dispatch_id"],
        "force": dispatch["force"],
        "force_name": force_name(dispatch["force"]) if dispatch["force"] in FORCE_CODES else None,
        "priority": dispatch["priority"],
        "priority_reasons": dispatch.get("priority_reasons") or [],
        "reasons": dispatch.get("reasons") or [],
        "handling": dispatch.get("handling"),
        "conditions": dispatch.get("conditions"),
        "deadline": dispatch.get("deadline"),
        "assessed_at": dispatch.get("created_at"),
        "assessed_by": dispatch.get("created_by"),
        "supersedes": dispatch.get("supersedes"),
        "report": {
            "report_id": report["report_id"],
            "kind": report["kind"],
            "source_ref": report["source_ref"],
            "organisation": report.get("organisation"),
            "version": report.get("version"),
            "reported_at": str(report["reported_at"]) if report.get("reported_at") else None,
            "received_at": M.iso(report.get("received_at")),
            "urgency": report.get("urgency"),
            "child_involved": bool(report.get("child_involved")),
            "exploitation_types": list(report.get("exploitation_types") or []),
            "payload": original,
        },
    }


def encode(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def signature(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(secret: bytes, body: bytes, header: str | None) -> bool:
    """For receivers (and tests): does the header match the body?"""
    return bool(header) and hmac.compare_digest(signature(secret, body), header)


def outbox_item(dispatch: dict, report: dict, *, now: datetime) -> dict:
    """A new outbox item for the dispatch's current delivery round, due now."""
    key = dispatch["delivery"]["idempotency_key"]
    return {
        "key": key, "dispatch_id": dispatch["dispatch_id"], "force": dispatch["force"],
        "priority": dispatch["priority"], "status": QUEUED, "attempts": 0,
        "created_at": M.iso(now), "next_attempt_at": M.iso(now), "last_attempt_at": None,
        "last_error": None, "delivered_at": None, "gave_up": False, "target": None,
        "body": encode(payload_for(dispatch, report, key)),
    }


def cancel_item(item: dict, *, at: datetime, reason: str) -> dict:
    if item["status"] in (DELIVERED, CANCELLED):
        return item
    return {**item, "status": CANCELLED, "cancelled_at": M.iso(at), "cancelled_reason": reason,
            "next_attempt_at": None}


# -- one attempt ---------------------------------------------------------------------------

@dataclass
class Attempt:
    ok: bool
    target: str | None
    error: str | None = None
    status_code: int | None = None
    duplicate: bool = False  # the receiver or the folder already had this key
    no_target: bool = False  # the force has no delivery target (nothing was sent)


def attempt(item: dict, config: DeliveryConfig, *, now: datetime) -> Attempt:
    target = config.target(item["force"])
    if target is None:
        where = (f"in {config.source}" if config.source
                 else "(no delivery config is set: LINKAGE_DELIVERY_CONFIG)")
        return Attempt(False, None, f"no delivery target for {item['force']} {where}", no_target=True)
    body = item["body"].encode("utf-8")
    if target.kind == "folder":
        return _to_folder(target, item["key"], body)
    return _to_webhook(target, item["key"], body, now)


def _to_webhook(target: Target, key: str, body: bytes, now: datetime) -> Attempt:
    desc = target.describe()
    if not target.secret:
        return Attempt(False, desc, f"the shared secret is not set: environment variable "
                                    f"{target.secret_env} is empty or missing")
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx is a dependency of delivery
        return Attempt(False, desc, "httpx is not installed (pip install httpx)")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: signature(target.secret, body),
        TIMESTAMP_HEADER: M.iso(now),
        KEY_HEADER: key,
        "User-Agent": "linkage-socex-hub/1",
    }
    try:
        resp = httpx.post(target.url, content=body, headers=headers, timeout=target.timeout_seconds,
                          follow_redirects=False)
    except httpx.HTTPError as exc:
        return Attempt(False, desc, f"{type(exc).__name__}: {exc}"[:300])
    if 200 <= resp.status_code < 300 or resp.status_code == 409:
        return Attempt(True, desc, status_code=resp.status_code, duplicate=resp.status_code == 409)
    text = resp.text[:200].strip()
    return Attempt(False, desc, f"HTTP {resp.status_code}" + (f": {text}" if text else ""),
                   status_code=resp.status_code)


def _to_folder(target: Target, key: str, body: bytes) -> Attempt:
    desc = target.describe()
    folder = target.path
    final = folder / f"{key}.json"
    if final.exists():
        return Attempt(True, desc, duplicate=True)
    tmp = folder / f".{key}.json.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, final)  # atomic, and refuses to replace a file already delivered
        except FileExistsError:
            return Attempt(True, desc, duplicate=True)
        except OSError:  # a filesystem without hard links: rename is still atomic
            os.replace(tmp, final)
        _fsync_dir(folder)
    except OSError as exc:
        return Attempt(False, desc, f"cannot write to the drop folder: {exc.strerror or exc}")
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not remove a temporary delivery file (%s)", type(exc).__name__)
    return Attempt(True, desc)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- recording an attempt -------------------------------------------------------------------

def record_attempt(item: dict, dispatch: dict | None, result: Attempt, retry: Retry,
                   now: datetime) -> tuple[dict, dict | None, str]:
    """The outbox item and dispatch after an attempt, and what happened: delivered, retrying,
    gave_up or no_target."""
    attempts = int(item.get("attempts") or 0) + 1
    item = {**item, "attempts": attempts, "last_attempt_at": M.iso(now), "target": result.target}
    item["no_target"] = result.no_target
    if result.ok:
        item.update(status=DELIVERED, delivered_at=M.iso(now), next_attempt_at=None, last_error=None)
        outcome = "delivered"
    elif result.no_target:
        # not retried on a schedule: attempted again as soon as the force has a target
        item.update(status=RETRYING, last_error=result.error, gave_up=False, next_attempt_at=None)
        outcome = "no_target"
    else:
        gave_up = attempts >= retry.max_attempts
        item.update(status=RETRYING, last_error=result.error, gave_up=gave_up,
                    next_attempt_at=None if gave_up else M.iso(now + retry.delay(attempts)))
        outcome = "gave_up" if gave_up else "retrying"
    if dispatch is None:
        return item, None, outcome
    delivery = {**(dispatch.get("delivery") or {}), "attempts": attempts,
                "last_attempt_at": item["last_attempt_at"], "last_error": item["last_error"],
                "next_attempt_at": item["next_attempt_at"], "gave_up": item["gave_up"],
                "target": result.target}
    if result.ok:
        delivery["delivered_at"] = item["delivered_at"]
    dispatch = {**dispatch, "delivery": delivery}
    if result.ok and dispatch["status"] in (M.PENDING, M.FAILED):
        how = result.target + (" (the receiver already had it)" if result.duplicate else "")
        dispatch = M.transition(dispatch, M.SENT, by=M.SYSTEM_ACTOR, at=now, reason=f"delivered by {how}")
    elif not result.ok and dispatch["status"] == M.PENDING:
        dispatch = M.transition(dispatch, M.FAILED, by=M.SYSTEM_ACTOR, at=now, reason=result.error)
    return item, dispatch, outcome


# -- the run -------------------------------------------------------------------------------

def due_items(outbox: dict[str, dict], now: datetime, config: DeliveryConfig) -> list[dict]:
    """Items to attempt now: their time has come, or they waited for a target that now exists."""
    out = []
    for item in outbox.values():
        if item["status"] not in (QUEUED, RETRYING) or item.get("gave_up"):
            continue
        if item.get("no_target"):
            if config.target(item["force"]) is not None:
                out.append(item)
            continue
        at = M.parse_ts(item.get("next_attempt_at"))
        if at is not None and at <= now:
            out.append(item)
    out.sort(key=lambda i: (i.get("priority") != M.IMMEDIATE, i.get("next_attempt_at") or "", i["key"]))
    return out


def deliver_due(store, settings, *, now: datetime | None = None,
                config: DeliveryConfig | None = None) -> dict:
    """Attempt every outbox item whose time has come; record each attempt (outbox, dispatch,
    audit). Returns counts and one result per attempt.

    Drop folders (and forces without a target) are handled in one batch; webhooks in chunks whose
    requests are made outside the dispatch lock, so an acknowledgement is never held up by a slow
    receiver (dispatches are read again before the results are written)."""
    from linkage.audit import AuditLog

    now = M.now_utc(now)
    config = config or DeliveryConfig.load(settings.delivery_config)
    summary = {"attempted": 0, "delivered": 0, "retrying": 0, "gave_up": 0, "no_target": 0,
               "cancelled": 0, "waiting": 0, "awaiting_target": 0, "results": []}
    entries: list[tuple] = []
    with _DELIVERY_LOCK:
        outbox = store.list_docs(OUTBOX)
        due = due_items(outbox, now, config)
        open_items = [i for i in outbox.values() if i["status"] in (QUEUED, RETRYING) and not i.get("gave_up")]
        summary["waiting"] = len(open_items) - len(due)
        webhooks = {f for f, t in config.targets.items() if t.kind == "webhook"}
        remote = [i for i in due if i["force"] in webhooks]
        local = [i for i in due if i["force"] not in webhooks]
        if local:
            with M.LOCK:
                dispatches = store.list_docs(DISPATCHES)
                tried = [(i, _try(i, dispatches, config, now)) for i in local]
                _record(store, tried, dispatches, config, now, summary, entries)
        for start in range(0, len(remote), CHUNK):
            chunk = remote[start:start + CHUNK]
            with M.LOCK:
                dispatches = store.list_docs(DISPATCHES)
            tried = [(i, _try(i, dispatches, config, now)) for i in chunk]
            with M.LOCK:  # read again: an ack or reject may have landed during the requests
                _record(store, tried, store.list_docs(DISPATCHES), config, now, summary, entries)
        summary["awaiting_target"] = sum(1 for i in store.list_docs(OUTBOX).values()
                                         if i.get("no_target") and i["status"] == RETRYING)
    # Every attempt that sent something (or tried to) is audited; "no target" sent nothing and
    # disclosed nothing, and is kept on the dispatch instead.
    entries = [e for e in entries if e[3] != "no_target"]
    if entries:
        audit = AuditLog(settings.audit_file())
        for item, result, new_item, outcome, new_disp in entries:
            audit.append("dispatch_delivery_attempt", actor=M.SYSTEM_ACTOR, subject=item["dispatch_id"],
                         source_ref=(new_disp or {}).get("source_ref"), to_force=item["force"],
                         idempotency_key=item["key"], attempt=new_item["attempts"],
                         ok=result.ok, outcome=outcome, target=result.target,
                         status_code=result.status_code, error=result.error,
                         duplicate=result.duplicate, next_attempt_at=new_item["next_attempt_at"])
    return summary


def _try(item: dict, dispatches: dict[str, dict], config: DeliveryConfig, now: datetime) -> Attempt | None:
    """The attempt, or None when the dispatch no longer awaits this delivery."""
    disp = dispatches.get(item["dispatch_id"])
    if disp is None or disp["status"] not in M.AWAITING or \
            (disp.get("delivery") or {}).get("idempotency_key") != item["key"]:
        return None
    return attempt(item, config, now=now)


def _record(store, tried: list[tuple[dict, Attempt | None]], dispatches: dict[str, dict],
            config: DeliveryConfig, now: datetime, summary: dict, entries: list) -> None:
    items_out, disp_out = {}, {}
    for item, result in tried:
        if result is None:
            items_out[item["key"]] = cancel_item(item, at=now, reason="the dispatch no longer awaits this delivery")
            summary["cancelled"] += 1
            continue
        disp = disp_out.get(item["dispatch_id"]) or dispatches.get(item["dispatch_id"])
        new_item, new_disp, outcome = record_attempt(item, disp, result, config.retry, now)
        items_out[item["key"]] = new_item
        if new_disp is not None:
            disp_out[new_disp["dispatch_id"]] = new_disp
        summary["attempted"] += 1
        summary[outcome] += 1
        summary["results"].append({
            "dispatch_id": item["dispatch_id"], "idempotency_key": item["key"], "force": item["force"],
            "outcome": outcome, "target": result.target, "error": result.error,
            "status_code": result.status_code, "attempts": new_item["attempts"],
            "next_attempt_at": new_item["next_attempt_at"]})
        entries.append((item, result, new_item, outcome, new_disp))
    if items_out:
        store.put_docs(OUTBOX, items_out)
    if disp_out:
        store.put_docs(DISPATCHES, disp_out)
