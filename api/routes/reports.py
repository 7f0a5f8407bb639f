"""Reports: ingest (one report, a list, or a JSON Lines / CSV upload) and reading one back."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import API_PREFIX, FORCE, INGEST, READERS, Allow, Caller, force_lookup, get_store
from api.errors import UnsupportedMediaType
from api.pagination import Page, PagingParams
from api.scope import scope_report
from linkage.errors import NotFound, UserError

router = APIRouter(prefix=API_PREFIX, tags=["reports"])

Kind = Literal["auto", "nrm", "dtn", "intel", "referral"]

_JSON_TYPES = ("application/json",)
_LINES_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
                "application/json-lines", "application/ndjson")
_CSV_TYPES = ("text/csv", "application/csv")
_SUFFIX = {"json": ".json", "lines": ".jsonl", "csv": ".csv"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

_REPORT_SCHEMA = {"type": "object", "additionalProperties": True,
                  "description": "One report (see FORMATS.md): `kind`, `source_ref`, ..."}
INGEST_BODY = {
    "requestBody": {
        "required": True,
        "description": ("One report (a JSON object), a list of reports, JSON Lines, CSV (layout of "
                        "ingest/csv_layout.py), or a multipart upload with a `file` field "
                        "(.json, .jsonl, .ndjson, .csv). Up to 20 MB."),
        "content": {
            "application/json": {"schema": {"anyOf": [_REPORT_SCHEMA, {"type": "array", "items": _REPORT_SCHEMA}]}},
            "application/x-ndjson": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                               "properties": {"file": {"type": "string", "format": "binary"}}}},
        },
    }
}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _read_text(name: str, data: bytes, fmt: str, kind: str) -> list:
    """Uploaded bytes -> SourceItems, through the same reader the CLI uses for files."""
    from ingest.reader import read_file

    base = _SAFE_NAME.sub("_", Path(name).name)[:100] or "upload"
    if not base.lower().endswith(_SUFFIX[fmt]):
        base += _SUFFIX[fmt]
    with tempfile.TemporaryDirectory(prefix="linkage-upload-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(data)
        items = list(read_file(path, kind=None if kind == "auto" else kind))
    prefix = str(path.parent) + "/"
    for it in items:
        if it.location.startswith(prefix):
            it.location = it.location[len(prefix):]
    return items


def _format_of(filename: str, media_type: str) -> str | None:
    suffix = Path(filename or "").suffix.lower()
    if suffix in (".jsonl", ".ndjson") or media_type in _LINES_TYPES:
        return "lines"
    if suffix == ".csv" or media_type in _CSV_TYPES:
        return "csv"
    if suffix == ".json" or media_type in _JSON_TYPES:
        return "json"
    return None


async def _items(request: Request, kind: str) -> list:
    media = _media_type(request)
    if media == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise UserError("send the reports as a file in the `file` field of the form",
                            details={"field": "file"})
        data = await upload.read()
        fmt = _format_of(upload.filename or "", (upload.content_type or "").lower())
        if fmt is None:
            raise UnsupportedMediaType("the uploaded file must be .json, .jsonl, .ndjson or .csv")
        return await run_in_threadpool(_read_text, upload.filename or "upload", data, fmt, kind)
    body = await request.body()
    if not body.strip():
        raise UserError("the request has no body: send one report, a list, JSON Lines or CSV")
    if media in _JSON_TYPES or media.endswith("+json"):
        try:
            value = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            if _looks_like_lines(body):  # JSON Lines sent as application/json
                return await run_in_threadpool(_read_text, "body", body, "lines", kind)
            where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise UserError(f"the body is not valid JSON{where}", code="invalid_json") from None
        if isinstance(value, dict):
            return [value]
        if isinstance(value, list):
            if not value:
                raise UserError("the list of reports is empty")
            return value
        raise UserError("send a JSON object (one report) or a list of them")
    fmt = _format_of("", media)
    if fmt is None:
        raise UnsupportedMediaType(
            f"cannot ingest {media or 'a body without Content-Type'}: use application/json, "
            "application/x-ndjson, text/csv or a multipart upload")
    return await run_in_threadpool(_read_text, "body", body, fmt, kind)


def _looks_like_lines(body: bytes) -> bool:
    return body.lstrip().startswith(b"{") and b"\n" in body.strip()


@router.post("/reports", summary="Ingest reports", openapi_extra=INGEST_BODY,
             responses={200: {"description": "A result per report: accepted, unchanged, new_version "
                                             "or rejected (with where, field and reason)"}})
async def ingest_reports(
    request: Request,
    caller: Annotated[Caller, Depends(Allow(INGEST, purpose=False))],
    kind: Annotated[Kind, Query(description="Report kind; `auto` takes each report's `kind`.")] = "auto",
) -> dict[str, Any]:
    """Ingest one report, a list, or a JSON Lines / CSV upload. A batch is never all or nothing:
    each report gets its own result, and rejected reports come back whole with the reason."""
    from ingest.run import ingest_payloads

    store = await get_store(request)
    items = await _items(request, kind)
    lookup = await run_in_threadpool(force_lookup, request)
    result = await run_in_threadpool(lambda: ingest_payloads(store, items, kind=kind, lookup=lookup))
    out = result.to_dict(with_raw=True)
    caller.audit("ingest", kind=kind, by_status=out["by_status"],
                 report_ids=[r.report_id for r in result.results
                             if r.status in ("accepted", "new_version")][:10_000])
    return out


@router.get("/reports", summary="Reports by source reference", response_model=Page)
def reports_by_source_ref(
    caller: Annotated[Caller, Depends(Allow(*READERS))],
    paging: PagingParams,
    source_ref: Annotated[str, Query(min_length=1, max_length=200)],
    store=Depends(get_store),
):
    rows = store.reports_by_source_ref(source_ref)
    for r in rows:
        r.pop("raw", None)
    page = paging.page(rows)
    caller.audit("consult_reports", report_ids=[r["report_id"] for r in page["items"]])
    return page


@router.get("/reports/{report_id}", summary="One report with its payload as received")
def get_report(
    caller: Annotated[Caller, Depends(Allow(*READERS, FORCE))],
    report_id: Annotated[str, PathParam(max_length=200)],
    store=Depends(get_store),
) -> dict[str, Any]:
    rep = store.report(report_id)
    if rep is None:
        raise NotFound(f"no report {report_id}")
    scope_report(caller, store, rep)
    if isinstance(rep.get("raw"), str):
        try:
            rep["raw"] = json.loads(rep["raw"])
        except json.JSONDecodeError:
            pass
    caller.audit("consult_report", subject=report_id)
    return rep
