"""Ingest end to end: payloads -> parse -> normalise -> store, in big batches; a result per report.

`ingest_payloads` is what the CLI and the HTTP API call: no printing, no files. `ingest_files`
reads files (ingest/reader.py) and also writes every rejected report, whole, to a rejects file
beside the first input. A batch is never all-or-nothing: bad reports are rejected with the field
and the reason, the rest go in. Sending the same reports again changes nothing (`unchanged`);
the same report with other content is a `new_version` (both kept).
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import json
import logging
import multiprocessing
import operator
import os
import pickle
import queue
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field as dc_field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from linkage.errors import LinkageError
from linkage.model import ReportBundle, ReportKind
from linkage.store import rows as R
from ingest import csv_layout, dtn, intel, nrm, referral
from ingest.reader import (MAX_FILE_BYTES, ReadLog, SourceItem, decode_line, estimate_reports,
                           read_paths)
from ingest.sources import InvalidReport

log = logging.getLogger(__name__)

KINDS = tuple(k.value for k in ReportKind)
BUILDERS: dict[str, Callable[..., tuple[ReportBundle, list[str]]]] = {
    "nrm": nrm.build, "dtn": dtn.build, "intel": intel.build, "referral": referral.build,
}
STATUSES = ("accepted", "new_version", "unchanged", "rejected")
CHUNK = 500  # reports per unit of work handed to a parsing process
# Reports per store transaction when ingesting files. Against 5,000, four interleaved pairs of
# 100,000 reports: the writing process used 24.7 s of CPU against 26.8 s (means), and end to
# end took 40.1 s against 41.4 s. `benchmarks/bench_ingest.py` measures this size.
FILE_BATCH = 10_000


@dataclass(slots=True)
class ReportResult:
    """What happened to one report. `raw` (rejected only) is the input as read, whole."""

    status: str
    location: str
    kind: str | None = None
    source_ref: str | None = None
    report_id: str | None = None
    field: str | None = None
    reason: str | None = None
    warnings: list[str] = dc_field(default_factory=list)
    raw: Any = None
    seq: int = 0  # position in the input

    def to_dict(self, *, with_raw: bool = False) -> dict:
        d = {"status": self.status, "kind": self.kind, "source_ref": self.source_ref,
             "location": self.location, "report_id": self.report_id}
        if self.status == "rejected":
            d["field"] = self.field
            d["reason"] = self.reason
            if with_raw:
                d["raw"] = self.raw
        if self.warnings:
            d["warnings"] = list(self.warnings)
        return d


@dataclass
class IngestResult:
    results: list[ReportResult] = dc_field(default_factory=list)
    by_kind: dict[str, Counter] = dc_field(default_factory=lambda: defaultdict(Counter))
    records: Counter = dc_field(default_factory=Counter)  # record type -> records written
    links: int = 0
    notes: list[str] = dc_field(default_factory=list)
    rejects_path: Path | None = None
    seconds: float = 0.0
    payloads: int = 0  # items that were readable reports (JSON objects, CSV rows)
    store_seconds: float = 0.0  # time spent inside store.write_report_batch

    @property
    def statuses(self) -> Counter:
        c = Counter()
        for k in self.by_kind.values():
            c.update(k)
        return c

    @property
    def rejected(self) -> list[ReportResult]:
        return [r for r in self.results if r.status == "rejected"]

    @property
    def read_any(self) -> bool:
        """Whether any report could be read at all (as a JSON object or a CSV row)."""
        return self.payloads > 0

    def add(self, r: ReportResult) -> None:
        self.results.append(r)
        self.by_kind[r.kind or "unknown"][r.status] += 1

    def merge(self, other: "IngestResult") -> None:
        for r in other.results:
            self.add(r)
        self.records.update(other.records)
        self.links += other.links
        self.store_seconds += other.store_seconds

    def summary(self) -> dict:
        return {
            "reports": len(self.results),
            "by_status": {s: self.statuses.get(s, 0) for s in STATUSES},
            "by_kind": {k: {s: c.get(s, 0) for s in STATUSES} for k, c in sorted(self.by_kind.items())},
            "records": dict(sorted(self.records.items())),
            "links": self.links,
            "notes": list(self.notes),
            "rejects_file": str(self.rejects_path) if self.rejects_path else None,
            "seconds": round(self.seconds, 3),
            "store_seconds": round(self.store_seconds, 3),
            "readable": self.payloads,
        }

    def to_dict(self, *, with_raw: bool = False) -> dict:
        return {**self.summary(), "results": [r.to_dict(with_raw=with_raw) for r in self.results]}


# -- parsing one report (also what a parsing process runs) -------------------------------------

@dataclass(slots=True)
class Parsed:
    location: str
    kind: str | None
    source_ref: str | None
    bundle: ReportBundle | None
    warnings: list[str]
    field: str | None = None
    reason: str | None = None
    raw: Any = None
    read: bool = True  # False when the input was not even a JSON object / CSV row
    seq: int = 0
    # what parsing processes send instead of the bundle: the report is row `index` of `chunk`
    chunk: R.ReportBatch | None = None
    index: int = 0

    @property
    def ok(self) -> bool:
        return self.bundle is not None or self.chunk is not None


def parse_item(item: SourceItem, *, kind: str, received_at: datetime, lookup) -> Parsed:
    """One item as read -> its bundle, or why it is rejected (never raises for bad input)."""
    if item.text is not None and item.payload is None and item.reason is None:
        item = decode_line(item.location, item.text)
    payload = item.payload
    if not item.ok or payload is None:
        return Parsed(item.location, None, None, None, [], item.field or "", item.reason, item.raw,
                      read=False)
    ref = payload.get("source_ref")
    source_ref = ref if isinstance(ref, str) else (str(ref) if isinstance(ref, (int, float)) else None)
    given = payload.get("kind")
    if kind != "auto":
        if given is None:
            payload = {**payload, "kind": kind}
        elif given != kind:
            return Parsed(item.location, str(given)[:50], source_ref, None, [], "kind",
                          f"kind {given!r} is not the {kind!r} asked for (--kind {kind})", item.raw)
    k = payload.get("kind")
    builder = BUILDERS.get(k) if isinstance(k, str) else None
    if builder is None:
        reason = ("missing kind: say nrm, dtn, intel or referral (or pass --kind)" if k is None
                  else f"unknown kind {k!r}: expected one of {', '.join(KINDS)}")
        return Parsed(item.location, None, source_ref, None, [], "kind", reason, item.raw)
    # the JSON text as received is the report's raw text (saves encoding it again)
    raw_text = item.raw if (isinstance(item.raw, str) and item.columns is None
                            and payload is item.payload) else None
    try:
        bundle, warnings = builder(payload, received_at=received_at, lookup=lookup, raw=raw_text)
    except InvalidReport as exc:
        where, reason = exc.field, exc.reason
        if len(exc.errors) > 1:
            reason += f" (and {len(exc.errors) - 1} more: " + "; ".join(
                f"{f}: {r}" for f, r in exc.errors[1:4]) + ")"
        if item.columns is not None:
            column = csv_layout.column_for(where, item.columns)
            if column:
                where = f"{column} ({where})" if where and where != column else column
        return Parsed(item.location, k, source_ref, None, [], where, reason, item.raw)
    except RecursionError:
        return Parsed(item.location, k, source_ref, None, [], "", "nested too deeply", item.raw)
    return Parsed(item.location, k, source_ref, bundle, warnings)


# Between processes, results travel as plain tuples (pickling slotted dataclasses field by field
# costs more than parsing does), and the reports of a chunk as one ReportBatch: Arrow tables
# (record attrs already JSON text), so the writing process does no per-record Python work at all,
# not even unpickling a tuple per record.
_ITEM = operator.attrgetter(*(f.name for f in dataclasses.fields(SourceItem)))
_SENT = tuple(f.name for f in dataclasses.fields(Parsed)
              if f.name not in ("bundle", "chunk", "index"))
_PARSED = operator.attrgetter(*_SENT)


def _parsed_from(values: tuple) -> Parsed:
    return Parsed(bundle=None, **dict(zip(_SENT, values)))


def parse_packed(items: list[tuple], kind: str, received_at: datetime
                 ) -> tuple[list[tuple], R.ReportBatch | None]:
    """What a parsing process runs: each item's result as a tuple (see `_SENT`) and whether it
    parsed, and the reports that parsed as one batch, in the items' order."""
    out, bundles = [], []
    for i in items:
        p = parse_item(SourceItem(*i), kind=kind, received_at=received_at, lookup=_WORKER_LOOKUP)
        ok = p.bundle is not None
        out.append((_PARSED(p), ok))
        if ok:
            bundles.append(p.bundle)
    return out, (R.ReportBatch.from_bundles(bundles) if bundles else None)


def _unpack(packed: tuple[list[tuple], R.ReportBatch | None]) -> Iterator[Parsed]:
    results, chunk = packed
    index = 0
    for values, ok in results:
        p = _parsed_from(values)
        if ok:
            p.chunk, p.index = chunk, index
            index += 1
        yield p


_WORKER_LOOKUP = None


def _init_worker(lookup) -> None:
    global _WORKER_LOOKUP
    _WORKER_LOOKUP = lookup
    # No cyclic garbage collection in a parsing process: parsing makes next to no reference
    # cycles (after 50,000 generated reports a collection found 40 unreachable objects; after
    # 4,000 rejected ones, none), reference counting frees everything else, and the process
    # ends with the ingest. Collections cost 4% of its time (0.78 s for 50,000 reports).
    gc.disable()
    if multiprocessing.parent_process() is not None:
        # only in a pool's child: elsewhere `_leave_now` would hide the exit status
        atexit.register(_leave_now)


def _leave_now() -> None:
    """A parsing process ends without tearing its interpreter down. By the time it exits the
    pool has sent it the stop signal, so every result is already in the parent's pipe; what is
    left is freeing its normaliser caches object by object, plus the full garbage collection
    Python runs at shutdown even with the collector off: about 3 s of CPU per process after
    50,000 reports, which the parent waited for while it wrote its last batch."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# Ingest allocates millions of small, long-lived objects (records, normaliser caches); the
# default thresholds run full collections over all of them again and again.
_GC_THRESHOLDS = (50_000, 50, 100)


@contextmanager
def relaxed_gc() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


# -- ingesting --------------------------------------------------------------------------------

def _as_items(items: Iterable[SourceItem | dict]) -> Iterator[SourceItem]:
    for i, it in enumerate(items):
        if isinstance(it, SourceItem):
            yield it
        elif isinstance(it, dict):
            yield SourceItem(f"[{i}]", it, it)
        else:
            yield SourceItem(f"[{i}]", None, it, reason="not a JSON object")


def _chunks(items: Iterator[SourceItem], size: int) -> Iterator[list[SourceItem]]:
    chunk: list[SourceItem] = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parsed_stream(items: Iterator[SourceItem], *, kind: str, received_at: datetime, lookup,
                   workers: int, batch_size: int = 5000) -> Iterator[Parsed]:
    if workers <= 1:
        for it in items:
            yield parse_item(it, kind=kind, received_at=received_at, lookup=lookup)
        return
    # Parse in other processes while this one reads and writes; results come back in order.
    # "spawn", not fork: the store may already run threads in this process.
    try:
        pickle.dumps(lookup)
    except (pickle.PicklingError, TypeError, AttributeError):
        log.info("force lookup cannot be sent to other processes; parsing here")
        yield from _parsed_stream(items, kind=kind, received_at=received_at, lookup=lookup,
                                  workers=0)
        return
    # Keep more than a whole store batch in flight, so the parsing processes keep working
    # while this one writes a batch.
    ahead = max(workers * 3, batch_size // CHUNK + workers * 2)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(lookup,),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: list[Future] = []
        for chunk in _chunks(items, CHUNK):
            pending.append(pool.submit(parse_packed, [_ITEM(i) for i in chunk], kind,
                                       received_at))
            while len(pending) >= ahead:
                yield from _unpack(pending.pop(0).result())
        for fut in pending:
            yield from _unpack(fut.result())


def ingest_payloads(store, items: Iterable[SourceItem | dict], *, kind: str = "auto", lookup,
                    received_at: datetime | None = None, batch_size: int = 5000,
                    on_progress: Callable[[int], None] | None = None,
                    workers: int = 0, expected_reports: int | None = None) -> IngestResult:
    """Parse, normalise and store every report; one result per report, in input order.

    `items` are SourceItems from the reader or plain payload dicts (the API). `kind` "auto" takes
    each payload's `kind`; a named kind rejects payloads of another kind. `workers` > 1 parses in
    that many processes while this one writes (worth it from some thousands of reports).
    `expected_reports`, about how many items come, lets the store plan its housekeeping.
    """
    if kind != "auto" and kind not in KINDS:
        raise LinkageError(f"unknown kind {kind!r}: use auto, {', '.join(KINDS)}")
    started = datetime.now(timezone.utc)
    received_at = received_at or started
    result = IngestResult()
    writer = _BatchWriter(store, expected_reports)
    batch: list[Parsed] = []
    rejected = 0

    def progress() -> None:
        if on_progress:
            on_progress(writer.done + rejected)

    with relaxed_gc():
        try:
            for seq, parsed in enumerate(_parsed_stream(
                    _as_items(items), kind=kind, received_at=received_at, lookup=lookup,
                    workers=workers, batch_size=batch_size)):
                parsed.seq = seq
                result.payloads += parsed.read
                if not parsed.ok:
                    result.add(ReportResult("rejected", parsed.location, parsed.kind,
                                            parsed.source_ref, field=parsed.field,
                                            reason=parsed.reason, raw=parsed.raw, seq=seq))
                    rejected += 1
                    if rejected % 1000 == 0:
                        progress()
                    continue
                batch.append(parsed)
                if len(batch) >= batch_size:
                    writer.put(batch)
                    batch = []
                    progress()
            if batch:
                writer.put(batch)
        finally:
            written = writer.close()
    result.merge(written)
    progress()
    result.results.sort(key=lambda r: r.seq)
    result.seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return result


BULK_FROM = 1000  # a first batch of this many reports makes the writer ask for bulk writes


class _BatchWriter:
    """Writes batches in a thread of its own, so that the store's native work (which releases
    the GIL) overlaps with reading and parsing the next batch. One batch waits at most."""

    def __init__(self, store, expected_reports: int | None = None):
        self.store = store
        self.expected_reports = expected_reports
        self.result = IngestResult()
        self.done = 0
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with ExitStack() as bulk:
            while True:
                batch = self.queue.get()
                if batch is None:
                    break
                if self.error is not None:
                    continue  # drain: the error is raised in the caller's thread
                try:
                    if self.done == 0 and len(batch) >= BULK_FROM:
                        # a big ingest: the store may defer its housekeeping to the end
                        bulk.enter_context(self.store.bulk_writes(self.expected_reports))
                    _write(self.store, batch, self.result)
                    self.done += len(batch)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    self.error = exc
            t0 = time.perf_counter()
            try:
                bulk.close()  # the deferred housekeeping is part of the ingest's time
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                self.error = self.error or exc
            self.result.store_seconds += time.perf_counter() - t0

    def put(self, batch: list[Parsed]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> IngestResult:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.result


def _report_batch(batch: list[Parsed]) -> R.ReportBatch:
    """The reports of `batch` as one ReportBatch: runs of them sent together by a parsing
    process are slices of what it sent; reports parsed here are made into tables here."""
    parts: list[R.ReportBatch] = []
    i, n = 0, len(batch)
    while i < n:
        p = batch[i]
        j = i + 1
        if p.chunk is None:
            while j < n and batch[j].chunk is None:
                j += 1
            parts.append(R.ReportBatch.from_bundles([q.bundle for q in batch[i:j]]))
        else:
            while j < n and batch[j].chunk is p.chunk and batch[j].index == p.index + (j - i):
                j += 1
            parts.append(p.chunk.slice(p.index, p.index + (j - i)))
        i = j
    return R.ReportBatch.concat(parts)


def _write(store, batch: list[Parsed], result: IngestResult) -> None:
    """Write one batch; if the store refuses it, split it to find the reports it refuses."""
    reports = _report_batch(batch)
    t0 = time.perf_counter()
    try:
        outcomes = store.write_report_batch(reports)
    except LinkageError as exc:
        result.store_seconds += time.perf_counter() - t0
        if len(batch) == 1:
            p = batch[0]
            log.warning("store refused one report (%s)", type(exc).__name__)
            result.add(ReportResult("rejected", p.location, p.kind, p.source_ref, field="",
                                    reason=f"the store refused this report: {exc.message}",
                                    raw=json.loads(reports.report_column("raw")[0]), seq=p.seq))
            return
        half = len(batch) // 2
        _write(store, batch[:half], result)
        _write(store, batch[half:], result)
        return
    result.store_seconds += time.perf_counter() - t0
    written = []
    for i, (p, o) in enumerate(zip(batch, outcomes)):
        result.add(ReportResult(o.status, p.location, p.kind, p.source_ref, report_id=o.report_id,
                                warnings=p.warnings, seq=p.seq))
        if o.status != "unchanged":
            written.append(i)
    if written:
        types = reports.record_column("record_type", written).value_counts().to_pylist()
        result.records.update({t["values"]: t["counts"] for t in types})
        result.links += sum(reports.link_counts[i] for i in written)


def ingest_files(store, paths: list[Path | str], *, kind: str = "auto", lookup,
                 received_at: datetime | None = None, batch_size: int = FILE_BATCH,
                 on_progress: Callable[[int], None] | None = None, workers: int = 0,
                 max_bytes: int = MAX_FILE_BYTES, rejects_dir: Path | None = None,
                 expected_reports: int | None = None) -> IngestResult:
    """Read the files and ingest them; rejected reports go whole to rejects-<UTC time>.jsonl
    beside the first input (or in `rejects_dir`). `expected_reports`: as `estimate_reports`
    gives it (worked out here when not given)."""
    if expected_reports is None:
        expected_reports = estimate_reports(paths, max_bytes)
    read_log = ReadLog()
    items = read_paths(paths, kind=kind if kind != "auto" else None, log=read_log,
                       max_bytes=max_bytes, decode_json=workers <= 1)
    result = ingest_payloads(store, items, kind=kind, lookup=lookup, received_at=received_at,
                             batch_size=batch_size, on_progress=on_progress, workers=workers,
                             expected_reports=expected_reports)
    result.notes.extend(read_log.notes)
    rejected = result.rejected
    if rejected:
        folder = _rejects_dir(paths, rejects_dir)
        try:
            result.rejects_path = write_rejects(rejected, folder)
        except OSError as exc:
            if rejects_dir is not None or folder.resolve() == Path.cwd().resolve():
                raise LinkageError(f"cannot write the rejects file in {folder}: {exc.strerror}")
            try:
                result.rejects_path = write_rejects(rejected, Path("."))
            except OSError:
                raise LinkageError(f"cannot write the rejects file in {folder} or the current "
                                   f"folder: {exc.strerror}") from None
            result.notes.append(f"cannot write the rejects file beside the input in {folder} "
                                f"({exc.strerror}); written in the current folder instead")
    return result


def _rejects_dir(paths: list[Path | str], rejects_dir: Path | None) -> Path:
    if rejects_dir is not None:
        return Path(rejects_dir)
    first = Path(paths[0]) if paths else Path(".")
    if first.is_dir():
        return first
    return first.parent if first.parent.exists() else Path(".")


def write_rejects(rejected: list[ReportResult], folder: Path) -> Path:
    """One JSON object per rejected report: source_ref, location, field, reason and the raw input."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"rejects-{stamp}.jsonl"
    n = 1
    while path.exists():
        path = folder / f"rejects-{stamp}-{n}.jsonl"
        n += 1
    with path.open("w", encoding="utf-8") as f:
        for r in rejected:
            f.write(json.dumps({"source_ref": r.source_ref, "kind": r.kind, "location": r.location,
                                "field": r.field, "reason": r.reason, "raw": r.raw},
                               ensure_ascii=False, default=str) + "\n")
    return path


def default_workers(n_hint: int | None = None) -> int:
    """Processes worth starting for parsing: none for small inputs, else the spare cores."""
    cpus = os.cpu_count() or 1
    if cpus < 2 or (n_hint is not None and n_hint < 20_000):
        return 0
    return min(cpus, 4)
