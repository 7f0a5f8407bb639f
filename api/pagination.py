"""Pagination for every list: `limit` and an opaque `cursor`; responses carry `next_cursor`
(null on the last page). The cursor is an offset, encoded so clients treat it as a token."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel

from linkage.errors import UserError

MAX_LIMIT = 500
MAX_RESULTS = 5000  # how deep any list can be paged


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = None
    total: int | None = None
    limit: int
    truncated: bool = False
    message: str | None = None


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not text.startswith("o:"):
            raise ValueError
        offset = int(text[2:])
        if offset < 0 or offset > MAX_RESULTS:
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        raise UserError("the cursor is not one this API gave out; start again without it",
                        code="bad_cursor") from None
    return offset


class Paging:
    """`limit` and `cursor` query parameters."""

    def __init__(self,
                 limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
                 cursor: Annotated[str | None, Query(max_length=64, description="`next_cursor` of the previous page.")] = None):
        self.limit = limit
        self.cursor = cursor
        self.offset = decode_cursor(cursor)

    @property
    def need(self) -> int:
        """How many items to ask a function for to fill this page and know if there is more."""
        return min(self.offset + self.limit + 1, MAX_RESULTS + 1)

    def page(self, items: Sequence[Any], *, complete: bool = True) -> dict:
        """This page of `items`: the whole list (`complete`), or the first `need` items of it
        from a function that takes a limit (then the total is not known)."""
        chunk = list(items[self.offset:self.offset + self.limit])
        end = self.offset + len(chunk)
        more = len(items) > end
        truncated, message = False, None
        if more and end >= MAX_RESULTS:
            more, truncated = False, True
            message = f"lists are capped at {MAX_RESULTS:,} items; narrow the request to see the rest"
        return {"items": chunk, "next_cursor": encode_cursor(end) if more else None,
                "total": len(items) if complete else None, "limit": self.limit,
                "truncated": truncated, "message": message}


async def paging_params(
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
        cursor: Annotated[str | None, Query(max_length=64, description="`next_cursor` of the previous page.")] = None,
) -> Paging:
    """`Paging` as a dependency. A coroutine, because FastAPI runs every plain-function (or
    class) dependency in its thread pool, and each such hop costs more than reading two
    parameters."""
    return Paging(limit, cursor)


PagingParams = Annotated[Paging, Depends(paging_params)]
