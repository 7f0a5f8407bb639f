"""Search entities by any name, number, address, business, vehicle or account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, READERS, Allow, Caller, get_store
from api.pagination import Page, Paging
from linkage.model import RecordType

router = APIRouter(prefix=API_PREFIX, tags=["search"])


@router.get("/search", summary="Search entities", response_model=Page)
def search_entities(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: Annotated[Paging, Depends()],
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, phone, address, VRM, ...")],
    types: Annotated[list[RecordType] | None, Query(description="Entity types to search (repeat).")] = None,
    store=Depends(get_store),
):
    from linkage.analytics.search import search

    text = q.strip()
    if not text:
        from linkage.errors import UserError

        raise UserError("say what to search for (q)")
    found = search(store, text, types=[t.value for t in types] if types else None, limit=paging.need)
    page = paging.page(found, complete=len(found) < paging.need)
    caller.audit("consult_search", entity_ids=entity_ids(page["items"]), results=len(page["items"]))
    return page
