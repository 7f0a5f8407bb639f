"""Linked venues: car washes, nail bars, brothels ... that people, phones, vehicles or accounts
connect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, ForceCode, READERS, Allow, Caller, get_store
from api.pagination import Page, PagingParams
from linkage.model import VenueType

router = APIRouter(prefix=API_PREFIX, tags=["venues"])


@router.get("/venues", summary="Venues and what links them", response_model=Page)
def list_venues(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    types: Annotated[list[VenueType] | None, Query(description="Venue types (repeat).")] = None,
    force: ForceCode = None,
    linked_only: Annotated[bool, Query(description="Only venues linked to another venue.")] = False,
    max_hops: Annotated[int, Query(ge=1, le=4, description="How far apart two venues may be to count as linked.")] = 3,
    store=Depends(get_store),
):
    from linkage.analytics.venues import linked_venues

    found = linked_venues(store, types=[t.value for t in types] if types else None, force=force,
                          linked_only=linked_only, max_hops=max_hops, limit=paging.need)
    page = paging.page(found, complete=len(found) < paging.need)
    caller.audit("consult_venues", entity_ids=entity_ids(page["items"]), results=len(page["items"]))
    return page
