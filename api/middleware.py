"""Request context (pure ASGI): a request id on every response, request-size limits, one
path-only access line per request, and the last-resort 500 in the uniform error body.

Application logs carry the request id, the method, the route *template*
(`/api/v1/entities/{entity_id}`), the status and the time: never query strings, bodies or ids
from the path, which may be personal data. Who consulted what is in the audit log, not here.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

log = logging.getLogger("api.access")
err_log = logging.getLogger("api")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (for formats that print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class BodyTooLarge(Exception):
    pass


def _json(status: int, body: dict, rid: str, extra: list | None = None) -> tuple[dict, dict]:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
               (b"x-request-id", rid.encode())] + (extra or [])
    return ({"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": data})


class RequestContext:
    def __init__(self, app, *, upload_paths: tuple[str, ...], upload_limit: int, body_limit: int):
        self.app = app
        self.upload_paths = upload_paths
        self.upload_limit = upload_limit
        self.body_limit = body_limit

    def _limit(self, scope) -> int:
        path = scope.get("path", "")
        if scope.get("method") in ("POST", "PUT") and path.rstrip("/") in self.upload_paths:
            return self.upload_limit
        return self.body_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inbound = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-request-id"), "")
        rid = inbound if _SAFE_ID.match(inbound) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        scope["linkage.request_id"] = rid
        started = time.perf_counter()
        status = {"code": 0, "sent": False}
        limit = self._limit(scope)

        async def respond(start: dict, body: dict) -> None:
            status["code"] = start["status"]
            status["sent"] = True
            await send(start)
            await send(body)

        try:
            length = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
            if length is not None and (not length.isdigit() or int(length) > limit):
                too_big = length.isdigit()
                await respond(*_json(413 if too_big else 400, {
                    "code": "payload_too_large" if too_big else "bad_request",
                    "message": (f"the request body is over the {limit:,}-byte limit for this endpoint"
                                if too_big else "invalid Content-Length header"),
                    "details": {"limit_bytes": limit} if too_big else None}, rid))
                return
            received = 0

            async def limited_receive():
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise BodyTooLarge()
                return message

            async def send_with_id(message):
                if message["type"] == "http.response.start":
                    message.setdefault("headers", [])
                    message["headers"] = list(message["headers"]) + [(b"x-request-id", rid.encode())]
                    status["code"] = message["status"]
                    status["sent"] = True
                await send(message)

            try:
                await self.app(scope, limited_receive, send_with_id)
            except BodyTooLarge:
                if not status["sent"]:
                    await respond(*_json(413, {
                        "code": "payload_too_large",
                        "message": f"the request body is over the {limit:,}-byte limit for this endpoint",
                        "details": {"limit_bytes": limit}}, rid))
            except Exception as exc:  # noqa: BLE001 - the last line of defence, logged without data
                tb = exc.__traceback__
                while tb is not None and tb.tb_next is not None:
                    tb = tb.tb_next
                where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
                err_log.error("internal error %s at %s (request %s)", type(exc).__name__, where, rid)
                if not status["sent"]:
                    await respond(*_json(500, {
                        "code": "internal_error",
                        "message": f"internal error; quote request id {rid} to the service team",
                        "details": {"request_id": rid}}, rid))
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(not an API route)"
            log.info("%s %s %s %.1fms rid=%s", scope.get("method"), template, status["code"],
                     (time.perf_counter() - started) * 1000, rid)
            request_id_var.reset(token)
