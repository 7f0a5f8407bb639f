"""Entities: the card (records, reports, flags), the network around one (k hops with evidence),
paths between two, exports of a network, and splitting records out of an entity."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, ANALYST, FORCE, READERS, Allow, Caller, get_settings, get_store
from api.responses import RenderedJSON, in_worker, network_response
from api.scope import scope_entity
from linkage.errors import NotFound
from linkage.model import RecordType

router = APIRouter(prefix=API_PREFIX, tags=["entities"])

MAX_HOPS = 4
MAX_NODES = 2000
EntityId = Annotated[str, Path(min_length=1, max_length=64, description="Entity id, e.g. P-1a2b3c4d5e")]
Grading = Annotated[str | None, Query(pattern="^[1-3A-Ea-e]{1,2}$",
                                      description="Minimum 3x5x2 grading of the evidence, e.g. 2B")]


@router.get("/entities/{entity_id}", summary="An entity with its records, reports and flags")
def get_entity(
    caller: Annotated[Caller, Depends(Allow(*READERS, FORCE))],
    entity_id: EntityId,
    store=Depends(get_store),
) -> dict[str, Any]:
    ent = store.entity(entity_id)
    if ent is None:
        raise NotFound(f"no entity {entity_id}")
    ent = scope_entity(caller, store, ent)
    caller.audit("consult_entity", subject=entity_id, entity_ids=[entity_id],
                 report_ids=[r["report_id"] for r in ent.get("reports", [])])
    return ent


@router.get("/entities/{entity_id}/network", summary="Entities within k hops, with the evidence of each link")
async def get_network(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    entity_id: EntityId,
    hops: Annotated[int, Query(ge=0, le=MAX_HOPS, description=f"Hops from the entity (at most {MAX_HOPS}).")] = 2,
    since: Annotated[date | None, Query(description="Only links seen on or after this date.")] = None,
    min_grading: Grading = None,
    types: Annotated[list[RecordType] | None, Query(description="Entity types to keep (repeat).")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_NODES, description=f"Node cap (at most {MAX_NODES}).")] = 500,
    store=Depends(get_store),
) -> dict[str, Any]:
    return await in_worker(_network, caller, entity_id, hops, since, min_grading, types, max_nodes, store)


def _network(caller: Caller, entity_id: str, hops: int, since: date | None, min_grading: str | None,
             types: list[RecordType] | None, max_nodes: int, store) -> RenderedJSON:
    from linkage.analytics.network import neighbourhood

    nb = neighbourhood(store, entity_id, hops=hops, since=since, min_grading=min_grading,
                       types=[t.value for t in types] if types else None, max_nodes=max_nodes)
    message = None
    if nb.truncated:
        message = (f"the network was cut at {max_nodes:,} entities; use fewer hops, a date "
                   "(since), a minimum grading or entity types to see the rest")
    # the entities returned are the nodes (links only join nodes)
    caller.audit("consult_network", subject=entity_id, entity_ids=list(nb.hops))
    return network_response(nb, message)


@router.get("/paths", summary="Shortest paths between two entities, with the evidence on the way")
def get_paths(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    source: Annotated[str, Query(min_length=1, max_length=64, description="From this entity id.")],
    target: Annotated[str, Query(min_length=1, max_length=64, description="To this entity id.")],
    max_hops: Annotated[int, Query(ge=1, le=6, description="Longest path to look for (at most 6).")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="How many paths (at most 20).")] = 5,
    store=Depends(get_store),
) -> dict[str, Any]:
    from linkage.analytics.network import paths

    found = paths(store, source, target, max_hops=max_hops, limit=limit)
    out = found if isinstance(found, dict) else {"paths": found}
    caller.audit("consult_paths", subject=f"{source}..{target}", entity_ids=entity_ids(out))
    return out


ExportFormat = Literal["graphml", "json", "csv", "anx"]


@router.get("/entities/{entity_id}/export", summary="Export the network around an entity",
            response_class=Response,
            responses={200: {"description": "GraphML, JSON, CSV or ANX (i2 Analyst's Notebook)",
                             "content": {"application/xml": {}, "application/json": {}}}})
def export_network(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    entity_id: EntityId,
    format: Annotated[ExportFormat, Query(description="graphml | json | csv | anx")] = "graphml",
    hops: Annotated[int, Query(ge=0, le=MAX_HOPS)] = 2,
    store=Depends(get_store),
) -> Response:
    from linkage.analytics.export import export_graph

    data, media_type = export_graph(store, entity_id, hops, format)
    ext = {"graphml": "graphml", "json": "json", "csv": "csv", "anx": "anx"}[format]
    caller.audit("disclose_export", subject=entity_id, format=format, bytes=len(data))
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="network-{entity_id}-{hops}hops.{ext}"'})


class SplitRequest(BaseModel):
    records: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=1000, description="Record ids to move out into an entity of their own.")
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/entities/{entity_id}/split", summary="Split records out of an entity")
async def split_entity(
    caller: Annotated[Caller, Depends(Allow(ANALYST))],
    entity_id: EntityId,
    body: SplitRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    """Recorded as judgements (same among the records moved, not-same against the rest) and
    applied by a resolution run at once, so the entity card reflects it."""
    from linkage.resolve.decisions import split

    from api.routes.judgements import apply_resolution

    js = await run_in_threadpool(split, store, entity_id, body.records, by=caller.name, reason=body.reason)
    caller.audit("split", subject=entity_id, records=body.records, judgements=[j.judgement_id for j in js])
    resolution = await run_in_threadpool(apply_resolution, store, settings)
    return {"entity_id": entity_id, "judgements": [j.judgement_id for j in js], "resolution": resolution}
