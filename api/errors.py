"""One error body for every error: `{"code", "message", "details"}`.

`linkage.errors.LinkageError` subclasses carry their own HTTP status (UserError 400, NotFound
404, LimitExceeded 422, StoreBusy/StoreError 503); the API adds the few that only HTTP has.
Messages never echo request values back into application logs.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from linkage.errors import LinkageError, UserError

log = logging.getLogger("api")


class Unauthorized(LinkageError):
    code = "unauthorized"
    http_status = 401


class Forbidden(LinkageError):
    code = "forbidden"
    http_status = 403


class PurposeRequired(UserError):
    code = "purpose_required"


class PayloadTooLarge(LinkageError):
    code = "payload_too_large"
    http_status = 413


class UnsupportedMediaType(LinkageError):
    code = "unsupported_media_type"
    http_status = 415


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
          415: "unsupported_media_type", 422: "invalid_input", 429: "too_many_requests",
          500: "internal_error", 503: "unavailable"}


def error_body(code: str, message: str, details: Any = None) -> dict:
    return {"code": code, "message": message, "details": details}


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _linkage_error(request: Request, exc: LinkageError) -> JSONResponse:
    status = getattr(exc, "http_status", 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status >= 500:
        log.warning("request failed: %s (%s)", exc.code, type(exc).__name__)
    return error_response(status, exc.code, exc.message, exc.details, headers)


def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"nothing at {request.url.path}; the API is under /api/v1 (see /docs)"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed here"
    return error_response(exc.status_code, code, message,
                          exc.detail if not isinstance(exc.detail, str) else None,
                          dict(exc.headers) if exc.headers else None)


def field_errors(errors) -> list[dict]:
    """Pydantic/FastAPI errors as {path, field, message, type}; never the input values."""
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        out.append({"path": loc, "field": ".".join(loc), "message": e.get("msg", ""),
                    "type": e.get("type", "")})
    return out


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = field_errors(exc.errors())
    first = details[0] if details else None
    message = "the request is not valid" + (f": {first['field']}: {first['message']}" if first else "")
    if len(details) > 1:
        message += f" (and {len(details) - 1} more)"
    return error_response(422, "invalid_input", message, details)


def _not_installed(request: Request, exc: ImportError) -> JSONResponse:
    """A route whose module is not part of this installation yet: say so, not a bare 500."""
    name = getattr(exc, "name", None) or ""
    if not name.startswith(("linkage", "ingest")):
        log.error("import failed: %s", type(exc).__name__)
        return error_response(500, "internal_error", "internal error")
    log.warning("endpoint not available: module %s missing", name)
    return error_response(501, "not_available", f"this endpoint is not available in this "
                          f"installation yet ({name} is missing)")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ImportError, _not_installed)
    app.add_exception_handler(LinkageError, _linkage_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
