"""Liveness and readiness (no auth, no personal data)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.errors import error_body

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="The store answers", responses={503: {"description": "Store not reachable"}})
def readyz(request: Request):
    store = getattr(request.app.state, "store", None)
    if store is not None and store.ping():
        return {"status": "ready", "store": store.kind}
    return JSONResponse(error_body("not_ready", "the store is not reachable"), status_code=503)
