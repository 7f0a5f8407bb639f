"""Referral routing (the SOCEX hub) and dispatches: which force must act on each referral,
when it was sent, and when that force acknowledged (or rejected) it.

A `force` user sees only its own force's dispatches (lists are filtered; another force's
dispatch id is 403) and acknowledges or rejects only those."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, ForceCode, FORCE, HUB, Allow, Caller, get_settings, get_store
from api.errors import Forbidden
from api.pagination import Page, PagingParams
from api.scope import check_dispatch, dispatch_report_ids
from linkage.errors import NotFound
from linkage.model import FORCE_CODES

router = APIRouter(prefix=API_PREFIX, tags=["referrals"])

DispatchId = Annotated[str, Path(min_length=1, max_length=100)]
TriageId = Annotated[str, Path(min_length=1, max_length=100)]


def _statuses():
    try:
        from linkage.jobs.dispatch_model import STATUSES
    except ImportError:  # pragma: no cover - the schema stays loadable while routing is absent
        STATUSES = ("pending", "sent", "failed", "acknowledged", "rejected", "superseded")
    return Literal[STATUSES]  # type: ignore[valid-type]


Status = _statuses()


class RouteRequest(BaseModel):
    dry_run: bool = Field(False, description="Decide and show the routing, send nothing.")


class AckRequest(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class AssignRequest(BaseModel):
    force: Literal[FORCE_CODES] = Field(description="The force to send it to.")  # type: ignore[valid-type]
    reason: str = Field(min_length=1, max_length=2000, description="Why this force.")


class CloseRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why no force needs it.")


class RejectRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why this force will not act on it.")


def _reports_of(items) -> list[str]:
    return sorted({r for d in items for r in dispatch_report_ids(d)})


def _find(store, dispatch_id: str) -> dict:
    from linkage.jobs.routing import list_dispatches

    for d in list_dispatches(store):
        if d.get("dispatch_id") == dispatch_id:
            return d
    raise NotFound(f"no dispatch {dispatch_id}")


def _list(caller: Caller, store, force: str | None, status: str | None, overdue: bool) -> list[dict]:
    from linkage.jobs.routing import list_dispatches

    if caller.force_scoped:
        if force is not None and force != caller.force:
            raise Forbidden("a force user sees only its own force's dispatches")
        force = caller.force
    items = list_dispatches(store, force=force, status=status, overdue=overdue,
                            now=datetime.now(timezone.utc).replace(tzinfo=None))
    if caller.force_scoped:
        items = [d for d in items if d.get("force") == caller.force]
    return items


@router.post("/referrals/route", summary="Route every referral not yet routed to the force(s) that must act")
async def route_referrals(
    caller: Annotated[Caller, Depends(Allow(HUB))],
    body: RouteRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.routing import route_all

    out = await run_in_threadpool(lambda: route_all(store, settings, dry_run=body.dry_run, by=caller.name))
    caller.audit("route_request", dry_run=body.dry_run, report_ids=_reports_of(out),
                 to_forces=sorted({f["force"] for d in out for f in d.get("forces", [])}))
    return {"dry_run": body.dry_run, "decisions": out, "count": len(out)}


@router.get("/referrals/triage", summary="Referrals waiting for the hub's decision", response_model=Page)
def triage(
    caller: Annotated[Caller, Depends(Allow(HUB))],
    paging: PagingParams,
    store=Depends(get_store),
):
    from linkage.jobs.routing import triage_queue

    page = paging.page(triage_queue(store))
    caller.audit("consult_triage", entity_ids=entity_ids(page["items"]), report_ids=_reports_of(page["items"]))
    return page


@router.post("/referrals/triage/{triage_id}/assign", summary="Place a triage item with a force by hand")
async def assign(
    caller: Annotated[Caller, Depends(Allow(HUB))],
    triage_id: TriageId,
    body: AssignRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.routing import assign_triage

    out = await run_in_threadpool(lambda: assign_triage(store, settings, triage_id, force=body.force,
                                                        by=caller.name, reason=body.reason))
    caller.audit("triage_assign_request", subject=triage_id, to_force=body.force, reason=body.reason)
    return out


@router.post("/referrals/triage/{triage_id}/close", summary="Close a triage item: no force needs it")
async def close(
    caller: Annotated[Caller, Depends(Allow(HUB))],
    triage_id: TriageId,
    body: CloseRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.routing import close_triage

    out = await run_in_threadpool(lambda: close_triage(store, settings, triage_id, by=caller.name,
                                                       reason=body.reason))
    caller.audit("triage_close_request", subject=triage_id, reason=body.reason)
    return out


@router.get("/dispatches", summary="Dispatches (a force user sees only its own)", response_model=Page)
def list_all(
    caller: Annotated[Caller, Depends(Allow(HUB, FORCE))],
    paging: PagingParams,
    force: ForceCode = None,
    status: Annotated[Status | None, Query()] = None,
    overdue: Annotated[bool, Query(description="Only dispatches past their acknowledgement deadline.")] = False,
    store=Depends(get_store),
):
    page = paging.page(_list(caller, store, force, status, overdue))
    caller.audit("consult_dispatches", dispatches=[d.get("dispatch_id") for d in page["items"]],
                 report_ids=_reports_of(page["items"]))
    return page


@router.get("/dispatches/overdue", summary="Dispatches not acknowledged in time", response_model=Page)
def list_overdue(
    caller: Annotated[Caller, Depends(Allow(HUB, FORCE))],
    paging: PagingParams,
    force: ForceCode = None,
    store=Depends(get_store),
):
    page = paging.page(_list(caller, store, force, None, True))
    caller.audit("consult_dispatches", dispatches=[d.get("dispatch_id") for d in page["items"]],
                 report_ids=_reports_of(page["items"]))
    return page


@router.get("/dispatches/stats", summary="Counts and timings by force and status")
def stats(
    caller: Annotated[Caller, Depends(Allow(HUB, purpose=False))],
    store=Depends(get_store),
) -> dict[str, Any]:
    from linkage.jobs.routing import dispatch_stats

    return dispatch_stats(store)


@router.get("/dispatches/{dispatch_id}", summary="One dispatch")
def get_dispatch(
    caller: Annotated[Caller, Depends(Allow(HUB, FORCE))],
    dispatch_id: DispatchId,
    store=Depends(get_store),
) -> dict[str, Any]:
    d = _find(store, dispatch_id)
    check_dispatch(caller, d)
    caller.audit("disclose_dispatch" if caller.force_scoped else "consult_dispatch", subject=dispatch_id,
                 report_ids=dispatch_report_ids(d))
    return d


@router.post("/dispatches/{dispatch_id}/ack", summary="Acknowledge a dispatch (the receiving force)")
async def acknowledge(
    caller: Annotated[Caller, Depends(Allow(HUB, FORCE))],
    dispatch_id: DispatchId,
    body: AckRequest | None = None,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.routing import ack_dispatch

    check_dispatch(caller, _find(store, dispatch_id))
    reason = body.reason if body else None
    out = await run_in_threadpool(lambda: ack_dispatch(store, settings, dispatch_id, by=caller.name, reason=reason))
    caller.audit("dispatch_ack_request", subject=dispatch_id, reason=reason)
    return out


@router.post("/dispatches/{dispatch_id}/reject", summary="Reject a dispatch, saying why")
async def reject(
    caller: Annotated[Caller, Depends(Allow(HUB, FORCE))],
    dispatch_id: DispatchId,
    body: RejectRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.routing import reject_dispatch

    check_dispatch(caller, _find(store, dispatch_id))
    out = await run_in_threadpool(lambda: reject_dispatch(store, settings, dispatch_id, by=caller.name,
                                                          reason=body.reason))
    caller.audit("dispatch_reject_request", subject=dispatch_id, reason=body.reason)
    return out


@router.post("/dispatches/{dispatch_id}/resend", summary="Send a dispatch again")
async def resend(
    caller: Annotated[Caller, Depends(Allow(HUB))],
    dispatch_id: DispatchId,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.jobs.routing import resend_dispatch

    _find(store, dispatch_id)
    out = await run_in_threadpool(lambda: resend_dispatch(store, settings, dispatch_id, by=caller.name))
    caller.audit("dispatch_resend_request", subject=dispatch_id)
    return out
