"""Who am I, the audit chain's integrity, and a resolution run on demand."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from api.deps import API_PREFIX, ANALYST, FORCE, HUB, INGEST, Allow, Caller, get_settings, get_store

router = APIRouter(prefix=API_PREFIX, tags=["admin"])


@router.get("/me", summary="The caller: name, role and force")
def me(caller: Annotated[Caller, Depends(Allow(ANALYST, HUB, FORCE, INGEST, purpose=False))]) -> dict[str, Any]:
    return {"name": caller.name, "role": caller.role, "force": caller.force}


@router.get("/audit/verify", summary="Check the audit log's hash chain")
def verify_audit(caller: Annotated[Caller, Depends(Allow(purpose=False))]) -> dict[str, Any]:
    v = caller.request.app.state.audit.verify()
    return {"ok": v.ok, "entries": v.entries, "first_bad": v.first_bad, "reason": v.reason}


@router.post("/resolve", summary="Resolve new records into entities now (incremental)")
async def resolve_now(
    caller: Annotated[Caller, Depends(Allow(purpose=False))],
    store=Depends(get_store),
    settings=Depends(get_settings),
) -> dict[str, Any]:
    from api.routes.judgements import apply_resolution

    out = await run_in_threadpool(apply_resolution, store, settings)
    caller.audit("resolve", entities_written=out["entities_written"])
    return out
