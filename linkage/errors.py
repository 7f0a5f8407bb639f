"""Errors as values with a code and a message a user can act on.

The CLI renders them as one line (exit 1); the API as the uniform error body. Anything else that
escapes is an internal error (CLI exit 2) and is logged without personal data.
"""

from __future__ import annotations

from typing import Any


class LinkageError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, *, details: Any = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if code:
            self.code = code


class UserError(LinkageError):
    code = "bad_request"


class NotFound(LinkageError):
    code = "not_found"
    http_status = 404


class StoreError(LinkageError):
    code = "store_error"
    http_status = 503


class SchemaVersionError(StoreError):
    code = "schema_version"


class StoreBusy(StoreError):
    """The embedded store is owned by another process (e.g. `linkage serve`)."""

    code = "store_busy"


class LimitExceeded(LinkageError):
    code = "limit_exceeded"
    http_status = 422
