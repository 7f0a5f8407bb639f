"""The daily scan: run it now, the latest, one day's, and the history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, ForceCode, READERS, Allow, Caller, get_settings, get_store
from api.pagination import Page, PagingParams
from linkage.errors import NotFound
from linkage.model import FORCE_CODES

router = APIRouter(prefix=API_PREFIX, tags=["scans"])


class ScanRequest(BaseModel):
    on: date | None = Field(None, description="The day to scan as of (default today).")
    window_days: int = Field(90, ge=1, le=3650)
    min_reports: int = Field(3, ge=2, le=1000)
    force: Literal[FORCE_CODES] | None = None  # type: ignore[valid-type]


@router.post("/scans", summary="Run the scan now", status_code=201)
async def run_scan_now(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    body: ScanRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.scan import run_scan

    on = body.on or date.today()
    out = await run_in_threadpool(lambda: run_scan(store, settings, on=on, window_days=body.window_days,
                                                   min_reports=body.min_reports, force=body.force))
    caller.audit("scan_run", subject=out.get("scan_id") or str(on), entity_ids=entity_ids(out))
    return out


@router.get("/scans/latest", summary="The latest scan")
def latest(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    force: ForceCode = None,
    store=Depends(get_store),
) -> dict[str, Any]:
    from linkage.jobs.scan import latest_scan

    out = latest_scan(store, force=force)
    if out is None:
        raise NotFound("no scan has run yet; run one with POST /api/v1/scans")
    caller.audit("consult_scan", subject="latest", entity_ids=entity_ids(out))
    return out


@router.get("/scans", summary="Scan history", response_model=Page)
def history(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    store=Depends(get_store),
):
    from linkage.jobs.scan import scan_history

    page = paging.page(scan_history(store))
    caller.audit("consult_scan_history", results=len(page["items"]))
    return page


@router.get("/scans/{on}", summary="The scan of one day")
def by_date(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    on: Annotated[date, Path(description="YYYY-MM-DD")],
    force: ForceCode = None,
    store=Depends(get_store),
) -> dict[str, Any]:
    from linkage.jobs.scan import scan_for_date

    out = scan_for_date(store, on, force=force)
    if out is None:
        raise NotFound(f"no scan for {on.isoformat()}")
    caller.audit("consult_scan", subject=str(on), entity_ids=entity_ids(out))
    return out
