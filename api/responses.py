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
    return RenderedJSON(_render(content))


def _render(content: Any) -> bytes:
    # UTC written "Z", as pydantic writes it; anything orjson does not know (a set, a driver's own
    # date type) is handed to pydantic to turn into plain JSON values
    return orjson.dumps(content, default=pydantic_core.to_jsonable_python,
                        option=orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z)


def network_response(nb, message: str | None = None) -> RenderedJSON:
    """`json_response` of what `linkage.analytics.network.network` builds from `nb` (plus the
    message), byte for byte, assembled from each entity's and each link's JSON rendered once per
    projection: a 2-hop network is ~60 entities and ~250 links, ~100 KB, and copying them into
    new dicts and rendering those for every request was most of the request's cost."""
    ents, links = nb.proj.derive("json_fragments", lambda _p: ({}, {}))
    entities = nb.proj.entities
    hubs = nb.proj.hubs
    parts = [b'{"nodes":[']
    for n, (eid, hops) in enumerate(nb.hops.items()):
        frag = ents.get(eid)
        if frag is None:
            entity = entities[eid]
            if not entity or "hops" in entity or "hub" in entity:  # a key `network` would overwrite
                return json_response(_network_dict(nb, message))
            frag = ents[eid] = _render(entity)[:-1]  # without its closing brace
        parts.append(b"%s%s,\"hops\":%d,\"hub\":%s}" % (b"," if n else b"", frag, hops,
                                                      b"true" if eid in hubs else b"false"))
    parts.append(b'],"links":[')
    for n, link in enumerate(nb.links):
        frag = links.get(id(link))  # the projection keeps its link rows alive, so ids are stable
        if frag is None:
            frag = links[id(link)] = _render(link)
        if n:
            parts.append(b",")
        parts.append(frag)
    parts.append(b'],"truncated":%s' % (b"true" if nb.truncated else b"false"))
    if message is not None:
        parts.append(b',"message":%s' % _render(message))
    parts.append(b"}")
    return RenderedJSON(b"".join(parts))


def _network_dict(nb, message: str | None) -> dict:
    from linkage.analytics.network import _node
    from linkage.analytics.projection import public_link

    out = {"nodes": [_node(nb.proj, eid, d) for eid, d in nb.hops.items()],
           "links": [public_link(l) for l in nb.links], "truncated": nb.truncated}
    if message is not None:
        out["message"] = message
    return out


async def in_worker(work: Callable[..., Any], *args: Any) -> Any:
    """Run `work` (which reads the store and writes the audit log) off the event loop."""
    return await run_in_threadpool(work, *args)
