"""Search entities by any name, number, address, business, vehicle or account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, READERS, Allow, Caller, get_store
from api.pagination import Page, Paging, PagingParams
from api.responses import RenderedJSON, in_worker, json_response
from linkage.model import RecordType

router = APIRouter(prefix=API_PREFIX, tags=["search"])


@router.get("/search", summary="Search entities", response_model=Page)
async def search_entities(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, phone, address, VRM, ...")],
    types: Annotated[list[RecordType] | None, Query(description="Entity types to search (repeat).")] = None,
    store=Depends(get_store),
):
    return await in_worker(_search, caller, paging, q, types, store)


def _search(caller: Caller, paging: Paging, q: str, types: list[RecordType] | None, store) -> RenderedJSON:
    from linkage.analytics.search import search

    text = q.strip()
    if not text:
        from linkage.errors import UserError

        raise UserError("say what to search for (q)")
    found = search(store, text, types=[t.value for t in types] if types else None, limit=paging.need)
    page = paging.page(found, complete=len(found) < paging.need)
    caller.audit("consult_search", entity_ids=entity_ids(page["items"]), results=len(page["items"]))
    return json_response(page)
