"""How the busiest read routes (search, the network around an entity) answer cheaply.

A plain `def` route costs FastAPI two thread-pool hops (the route, then validating what it
returned against its response model) on top of the work, and under load each hop is a thread
handoff and a wait for the GIL. These routes are `async def`, do their work (the read and the
audit entry) in one hop, and return JSON rendered by orjson (a network response is ~100 KB;
orjson renders it in under half the time pydantic's serialiser takes): the same bytes a
response model would have produced for these plain dicts, lists, strings, numbers and dates,
without re-validating data the route just built. The response model stays declared on the
route, for the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pydantic_core
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool


class RenderedJSON(Response):
    media_type = "application/json"


def json_response(content: Any) -> RenderedJSON:
    # UTC written "Z", as pydantic writes it; anything orjson does not know (a set, a driver's own
    # date type) is handed to pydantic to turn into plain JSON values
    return RenderedJSON(orjson.dumps(content, default=pydantic_core.to_jsonable_python,
                                     option=orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z))


async def in_worker(work: Callable[..., Any], *args: Any) -> Any:
    """Run `work` (which reads the store and writes the audit log) off the event loop."""
    return await run_in_threadpool(work, *args)
