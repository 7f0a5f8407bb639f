"""Networks: connected groups of offenders, victims, venues and identifiers, and which of them
cross force boundaries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, READERS, Allow, Caller, ForceCode, get_store
from api.pagination import Page, PagingParams

router = APIRouter(prefix=API_PREFIX, tags=["networks"])

@router.get("/networks", summary="Networks (connected groups), optionally only cross-border ones",
            response_model=Page)
def list_networks(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    cross_border: Annotated[bool, Query(description="Only networks with locations in more than one force area.")] = False,
    force: ForceCode = None,
    min_size: Annotated[int, Query(ge=2, le=1000, description="Smallest network to list (entities).")] = 3,
    store=Depends(get_store),
):
    from linkage.analytics.networks import find_networks

    found = find_networks(store, cross_border=cross_border, force=force, min_size=min_size)
    page = paging.page(found)
    caller.audit("consult_networks", entity_ids=entity_ids(page["items"]), results=len(page["items"]))
    return page
