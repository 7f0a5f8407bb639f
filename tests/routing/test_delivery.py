"""Delivery through the outbox: a signed webhook to a real local HTTP server that fails once,
and a drop folder; a retry never delivers twice."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from linkage.errors import UserError
from linkage.jobs.delivery import DeliveryConfig, OUTBOX, verify_signature
from linkage.jobs.routing import deliver_due, list_dispatches, resend_dispatch, route_all
from tests.routing import payloads as P
from tests.routing.conftest import T0

SECRET = "s3cret-shared-with-west-midlands"


class Receiver:
    """A force's intake endpoint: fails the first request with 500, then accepts; checks the
    signature; dedupes by Idempotency-Key."""

    def __init__(self, fail_first: int = 1):
        self.fail_left = fail_first
        self.requests: list[dict] = []
        self.accepted: Counter = Counter()
        self.bodies: dict[str, dict] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers.get("Idempotency-Key")
                ok_sig = verify_signature(SECRET.encode(), body, self.headers.get("X-Linkage-Signature"))
                receiver.requests.append({"key": key, "signature_ok": ok_sig,
                                          "timestamp": self.headers.get("X-Linkage-Timestamp")})
                if not ok_sig:
                    code = 401
                elif receiver.fail_left > 0:
                    receiver.fail_left -= 1
                    code = 500
                elif key in receiver.accepted:
                    code = 200  # already have it: acknowledge, do not process again
                else:
                    receiver.accepted[key] += 1
                    receiver.bodies[key] = json.loads(body)
                    code = 201
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/intake"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _config(tmp_path, text: str):
    path = tmp_path / "delivery.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_webhook_redelivery_after_a_failure_delivers_exactly_once(tmp_path, make_hub, monkeypatch):
    monkeypatch.setenv("WMP_TEST_SECRET", SECRET)
    with Receiver(fail_first=1) as rx:
        cfg = _config(tmp_path, f"""
[retry]
max_attempts = 5
backoff_seconds = 60
[forces.west-midlands]
kind = "webhook"
url = "{rx.url}"
secret_env = "WMP_TEST_SECRET"
[forces.greater-manchester]
kind = "folder"
path = "drop/gmp"
""")
        hub = make_hub(cfg)
        hub.load(P.two_force_nrm())
        route_all(hub.store, hub.settings, by="hub", now=T0)  # routes, then the first attempt: 500
        (wm,) = list_dispatches(hub.store, force="west-midlands")
        assert wm["status"] == "failed" and wm["delivery"]["last_error"] == "HTTP 500"
        assert [d["dispatch_id"] for d in list_dispatches(hub.store, status="failed")] == [wm["dispatch_id"]]
        assert wm["delivery"]["next_attempt_at"] == (T0 + timedelta(seconds=60)).isoformat(timespec="seconds")

        # not due yet: nothing is sent
        assert deliver_due(hub.store, hub.settings, now=T0 + timedelta(seconds=30))["attempted"] == 0
        # due: the retry goes through
        out = deliver_due(hub.store, hub.settings, now=T0 + timedelta(minutes=2))
        assert out["attempted"] == 1 and out["delivered"] == 1
        # nothing left to do, however often it runs (the next route run included)
        assert deliver_due(hub.store, hub.settings, now=T0 + timedelta(hours=1))["attempted"] == 0
        assert route_all(hub.store, hub.settings, by="hub", now=T0 + timedelta(hours=2)) == []

        key = wm["delivery"]["idempotency_key"]
        assert [r["key"] for r in rx.requests] == [key, key]
        assert all(r["signature_ok"] and r["timestamp"] for r in rx.requests)
        assert rx.accepted == Counter({key: 1})
        body = rx.bodies[key]
        assert body["report"]["source_ref"] == "NRM-TWO-1" and body["report"]["kind"] == "nrm"
        assert body["report"]["payload"]["victim"]["full_name"] == "Tran Thi Mai"
        assert body["report"]["reported_at"] == "2026-09-01"
        assert body["priority"] == "routine" and body["reasons"][0]["basis"] == "exploitation"
        assert "handling" in body and "conditions" in body

        (wm,) = list_dispatches(hub.store, force="west-midlands")
        assert wm["status"] == "sent" and wm["delivery"]["attempts"] == 2
        assert [h["status"] for h in wm["history"]] == ["pending", "failed", "sent"]
        assert wm["history"][-1]["by"] == "linkage-delivery"
        assert wm["timings"]["hours"]["assessed_to_sent"] == pytest.approx(2 / 60, abs=1e-3)

        # a lost response: the outbox item is retried although the force has it - deduped by key
        item = hub.store.get_doc(OUTBOX, key)
        hub.store.put_docs(OUTBOX, {key: {**item, "status": "queued", "next_attempt_at": item["created_at"]}})
        deliver_due(hub.store, hub.settings, now=T0 + timedelta(hours=3))
        assert rx.accepted == Counter({key: 1}) and len(rx.requests) == 3

        # an explicit resend of a sent dispatch is a new delivery round with a new key
        again = resend_dispatch(hub.store, hub.settings, wm["dispatch_id"], by="hub", now=T0 + timedelta(hours=4))
        assert again["status"] == "sent" and again["delivery"]["idempotency_key"] == f"{wm['dispatch_id']}.2"
        assert rx.accepted == Counter({key: 1, f"{wm['dispatch_id']}.2": 1})


def test_drop_folder_writes_each_delivery_once(tmp_path, make_hub):
    cfg = _config(tmp_path, """
[forces.west-midlands]
kind = "folder"
path = "drop/wmp"
[forces.greater-manchester]
kind = "folder"
path = "drop/gmp"
""")
    hub = make_hub(cfg)
    hub.load(P.two_force_nrm())
    route_all(hub.store, hub.settings, by="hub", now=T0)
    (wm,) = list_dispatches(hub.store, force="west-midlands")
    key = wm["delivery"]["idempotency_key"]
    files = sorted(p.name for p in (tmp_path / "drop" / "wmp").iterdir())
    assert files == [f"{key}.json"] and wm["status"] == "sent"
    path = tmp_path / "drop" / "wmp" / f"{key}.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    assert body["dispatch_id"] == wm["dispatch_id"] and body["force"] == "west-midlands"
    stamp = path.stat().st_mtime_ns
    # the process died before recording the delivery: the retry finds the file and writes nothing
    item = hub.store.get_doc(OUTBOX, key)
    hub.store.put_docs(OUTBOX, {key: {**item, "status": "queued", "next_attempt_at": item["created_at"]}})
    hub.store.put_docs("dispatches", {wm["dispatch_id"]: {**hub.store.get_doc("dispatches", wm["dispatch_id"]),
                                                          "status": "pending"}})
    out = deliver_due(hub.store, hub.settings, now=T0 + timedelta(minutes=5))
    assert out["delivered"] == 1
    assert sorted(p.name for p in (tmp_path / "drop" / "wmp").iterdir()) == [f"{key}.json"]
    assert path.stat().st_mtime_ns == stamp
    assert (tmp_path / "drop" / "gmp").exists()


def test_failures_are_kept_visible_retried_with_backoff_and_bounded(tmp_path, make_hub, monkeypatch):
    monkeypatch.setenv("WMP_TEST_SECRET", SECRET)
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = _config(tmp_path, f"""
[retry]
max_attempts = 3
backoff_seconds = 10
[forces.west-midlands]
kind = "webhook"
url = "http://127.0.0.1:{port}/intake"
secret_env = "WMP_TEST_SECRET"
""")
    hub = make_hub(cfg)
    hub.load(P.two_force_nrm())
    route_all(hub.store, hub.settings, by="hub", now=T0)
    failed = {d["force"]: d for d in list_dispatches(hub.store, status="failed")}
    assert set(failed) == {"west-midlands", "greater-manchester"}
    # a force without a target: failed with the reason, not retried until it has one
    gm = failed["greater-manchester"]
    assert "no delivery target for greater-manchester" in gm["delivery"]["last_error"]
    assert gm["delivery"]["next_attempt_at"] is None and not gm["delivery"]["gave_up"]
    # the webhook: connection refused, retried after 10 s, then 20 s; the third failure gives up
    wm = failed["west-midlands"]
    assert "Connect" in wm["delivery"]["last_error"]
    assert wm["delivery"]["next_attempt_at"] == (T0 + timedelta(seconds=10)).isoformat(timespec="seconds")
    deliver_due(hub.store, hub.settings, now=T0 + timedelta(seconds=10))
    (wm,) = list_dispatches(hub.store, force="west-midlands")
    assert wm["delivery"]["next_attempt_at"] == (T0 + timedelta(seconds=30)).isoformat(timespec="seconds")
    out = deliver_due(hub.store, hub.settings, now=T0 + timedelta(seconds=30))
    assert out["gave_up"] == 1 and out["awaiting_target"] == 1
    (wm,) = list_dispatches(hub.store, force="west-midlands")
    assert wm["status"] == "failed" and wm["delivery"]["gave_up"] and wm["delivery"]["attempts"] == 3
    assert deliver_due(hub.store, hub.settings, now=T0 + timedelta(days=1))["attempted"] == 0

    # a target for Greater Manchester is added: the next run delivers what waited for it
    hub.settings = hub.settings.model_copy(update={"delivery_config": _config(tmp_path, f"""
[forces.west-midlands]
kind = "webhook"
url = "http://127.0.0.1:{port}/intake"
secret_env = "WMP_TEST_SECRET"
[forces.greater-manchester]
kind = "folder"
path = "drop/gmp"
""")})
    out = deliver_due(hub.store, hub.settings, now=T0 + timedelta(days=1))
    assert out["delivered"] == 1 and out["attempted"] == 1
    (gm,) = list_dispatches(hub.store, force="greater-manchester")
    assert gm["status"] == "sent" and len(list((tmp_path / "drop" / "gmp").iterdir())) == 1


def test_the_delivery_config_refuses_plain_http_to_other_hosts_and_unknown_forces(tmp_path):
    with pytest.raises(UserError, match="https"):
        DeliveryConfig.load(_config(tmp_path, '[forces.kent]\nkind = "webhook"\nurl = "http://intake.example.org/x"\nsecret_env = "K"\n'))
    with pytest.raises(UserError, match="not a force"):
        DeliveryConfig.load(_config(tmp_path, '[forces.atlantis]\nkind = "folder"\npath = "x"\n'))
    with pytest.raises(UserError, match="unknown setting"):
        DeliveryConfig.load(_config(tmp_path, '[forces.kent]\nkind = "folder"\npath = "x"\nurll = "y"\n'))
    cfg = DeliveryConfig.load(_config(tmp_path, '[forces."Kent Police"]\nkind = "webhook"\nurl = "http://localhost:9/x"\nsecret_env = "NOPE_NOT_SET_ANYWHERE"\n'), environ={})
    assert cfg.target("kent").secret is None
