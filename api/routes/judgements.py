"""Analysts' decisions: judgements (same / not same, undo), the review queue, and why two
records are or are not one entity. A judgement is applied by a resolution run straight away
(then the flags are refreshed), so the entity card reflects it."""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.audit_ids import entity_ids
from api.deps import API_PREFIX, ANALYST, READERS, Allow, Caller, get_settings, get_store
from api.pagination import Page, PagingParams
from linkage.model import RecordType

router = APIRouter(prefix=API_PREFIX, tags=["judgements"])

_RESOLVE_LOCK = threading.Lock()  # one resolution run at a time in this process
RecordId = Annotated[str, Field(min_length=1, max_length=200)]


def apply_resolution(store, settings) -> dict:
    """Resolve (incremental) and refresh the flags, as `linkage resolve` does."""
    from linkage.resolve.config import ResolutionConfig
    from linkage.resolve.pipeline import resolve

    with _RESOLVE_LOCK:
        rep = resolve(store, ResolutionConfig.load(settings.resolution_config))
        try:
            from linkage.analytics.flags import refresh_flags
        except ImportError:
            refresh_flags = None
        if refresh_flags is not None:
            refresh_flags(store, settings)
    return {"full": rep.full, "seconds": round(rep.seconds, 3), "entities_written": rep.entities_written,
            "entities_removed": rep.entities_removed, "entity_links": rep.entity_links}


def judgement_dict(j) -> dict:
    return {s: getattr(j, s) for s in ("judgement_id", "record_a", "record_b", "decision", "by", "reason",
                                       "at", "undone", "undone_by", "undone_at")}


class JudgementRequest(BaseModel):
    decision: Literal["same", "not-same"] = Field(description="`same`: one real-world entity; `not-same`: never link them.")
    record_a: RecordId
    record_b: RecordId
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/judgements", summary="Judge two records the same, or not the same", status_code=201)
async def create_judgement(
    caller: Annotated[Caller, Depends(Allow(ANALYST))],
    body: JudgementRequest,
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.resolve.decisions import judge

    j = await run_in_threadpool(lambda: judge(store, body.decision, body.record_a, body.record_b,
                                              by=caller.name, reason=body.reason))
    caller.audit("judgement", subject=j.judgement_id, decision=body.decision, record_a=body.record_a,
                 record_b=body.record_b, reason=body.reason)
    resolution = await run_in_threadpool(apply_resolution, store, settings)
    return {"judgement": judgement_dict(j), "resolution": resolution}


@router.post("/judgements/{judgement_id}/undo", summary="Undo a judgement (kept, marked undone)")
async def undo_judgement(
    caller: Annotated[Caller, Depends(Allow(ANALYST))],
    judgement_id: Annotated[str, Path(min_length=1, max_length=64)],
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.resolve.decisions import undo

    j = await run_in_threadpool(lambda: undo(store, judgement_id, by=caller.name))
    caller.audit("judgement_undo", subject=j.judgement_id)
    resolution = await run_in_threadpool(apply_resolution, store, settings)
    return {"judgement": judgement_dict(j), "resolution": resolution}


@router.get("/judgements", summary="Judgements, newest first", response_model=Page)
def list_judgements(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    include_undone: bool = False,
    store=Depends(get_store),
):
    js = sorted(store.judgements(include_undone=include_undone), key=lambda j: (j.at, j.judgement_id), reverse=True)
    page = paging.page([judgement_dict(j) for j in js])
    caller.audit("consult_judgements", results=len(page["items"]))
    return page


@router.get("/review-queue", summary="Pairs in the review band, with their evidence", response_model=Page)
def review(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    type: Annotated[RecordType | None, Query(description="Only pairs of this record type.")] = None,
    store=Depends(get_store),
):
    from linkage.resolve.decisions import review_queue

    page = paging.page(review_queue(store, type.value if type else None))
    caller.audit("consult_review", results=len(page["items"]),
                 records=[r for i in page["items"] for r in (i.get("record_a"), i.get("record_b"))])
    return page


@router.get("/explain", summary="Why two records are (or are not) one entity")
def explain_pair(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    record_a: Annotated[str, Query(min_length=1, max_length=200)],
    record_b: Annotated[str, Query(min_length=1, max_length=200)],
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from linkage.resolve.config import ResolutionConfig
    from linkage.resolve.decisions import explain

    out = explain(store, record_a, record_b, ResolutionConfig.load(settings.resolution_config))
    caller.audit("consult_explain", subject=f"{record_a}|{record_b}", entity_ids=entity_ids(out))
    return out
