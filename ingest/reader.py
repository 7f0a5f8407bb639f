"""Files -> report payloads, each with where it came from; unreadable input becomes an item that
says why (never an exception, never the end of the other reports).

- `.json`: one object or a list of objects (`file.json[3]`); a `.json` file that turns out to
  hold one object per line is read as JSON Lines.
- `.jsonl` / `.ndjson`: one object per line (`file.jsonl:12`); blank lines are skipped.
- `.csv`: one report per row, in the layout of `ingest/csv_layout.py` (`file.csv:7`).
- Folders are read file by file (those with the extensions above, in name order).

Text is read as UTF-8 (with or without a byte-order mark), else as cp1252 (Windows), and a note
says so. Files over `max_bytes` and JSON lines over `max_line_bytes` are refused with a message.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import csv_layout

MAX_FILE_BYTES = 2 * 1024**3
MAX_LINE_BYTES = 16 * 1024**2
EXTENSIONS = (".json", ".jsonl", ".ndjson", ".csv")
BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class SourceItem:
    """One report as read, or the reason it could not be read.

    `raw` is what was read, whole: the line's text, the CSV row's text, or the JSON value; it is
    what a rejects file keeps. `columns` maps payload paths to CSV columns (CSV only).
    """

    location: str
    payload: dict | None
    raw: Any
    field: str = ""
    reason: str | None = None
    columns: dict[str, str] | None = None
    text: str | None = None  # JSON text not decoded yet (decoded by whoever parses it)

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass
class ReadLog:
    """What the reader noticed about files (encodings, skipped files); no personal data."""

    notes: list[str] = field(default_factory=list)
    files: int = 0
    items: int = 0


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with BOM, UTF-8, else cp1252 (undefined bytes replaced)."""
    if data.startswith(BOM):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def expand(paths: list[Path | str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in EXTENSIONS
                          and not q.name.startswith("rejects-"))
        else:
            out.append(p)
    return out


def estimate_reports(paths: list[Path | str], max_bytes: int = MAX_FILE_BYTES) -> int | None:
    """Roughly how many reports the files hold, without parsing them: lines of JSON Lines and
    CSV (less a CSV header), and in a JSON file the times `"source_ref"` appears (at least one).
    For a progress bar and for the store's housekeeping. A file that cannot be read, or that the
    reader will refuse for its size, counts one (its message)."""
    total = 0
    for p in expand(paths):
        suffix = p.suffix.lower()
        try:
            if p.stat().st_size > max_bytes:
                total += 1
                continue
            with p.open("rb") as f:
                chunks = iter(lambda: f.read(1 << 20), b"")
                if suffix in (".jsonl", ".ndjson", ".csv"):
                    n = sum(chunk.count(b"\n") for chunk in chunks) - (suffix == ".csv")
                else:  # a field name cut by a chunk boundary is missed: it is an estimate
                    n = sum(chunk.count(b'"source_ref"') for chunk in chunks)
            total += max(n, 1)
        except OSError:
            total += 1
    return total or None


def read_paths(paths: list[Path | str], *, kind: str | None = None, log: ReadLog | None = None,
               max_bytes: int = MAX_FILE_BYTES, max_line_bytes: int = MAX_LINE_BYTES,
               decode_json: bool = True) -> Iterator[SourceItem]:
    """Every report in these files, in order. `decode_json=False` leaves JSON Lines undecoded
    (`item.text`) so that another process can decode them."""
    log = log if log is not None else ReadLog()
    for path in expand(paths):
        log.files += 1
        for item in read_file(path, kind=kind, log=log, max_bytes=max_bytes,
                              max_line_bytes=max_line_bytes, decode_json=decode_json):
            log.items += 1
            yield item


def read_file(path: Path, *, kind: str | None = None, log: ReadLog | None = None,
              max_bytes: int = MAX_FILE_BYTES, max_line_bytes: int = MAX_LINE_BYTES,
              decode_json: bool = True) -> Iterator[SourceItem]:
    log = log if log is not None else ReadLog()
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield SourceItem(name, None, None, reason="no such file")
        return
    except OSError as exc:
        yield SourceItem(name, None, None, reason=f"cannot read the file ({exc.strerror})")
        return
    if path.is_dir():
        yield SourceItem(name, None, None, reason="is a folder with no report files")
        return
    if size > max_bytes:
        yield SourceItem(name, None, None, reason=(
            f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit; split it into "
            "smaller files (JSON Lines can be split at any line)"))
        return
    if size == 0:
        yield SourceItem(name, None, "", reason="the file is empty")
        return
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            yield from _json_lines(path, log, max_line_bytes, decode_json)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield SourceItem(name, None, None, reason=f"cannot read the file ({exc.strerror})")
        return
    text, encoding = decode(data)
    if encoding == "cp1252":
        log.notes.append(f"{name}: not UTF-8, read as cp1252 (Windows)")
    if not text.strip():
        yield SourceItem(name, None, text, reason="the file holds only blank space")
        return
    if suffix == ".csv":
        yield from _csv(name, text, kind)
    elif suffix == ".json":
        yield from _json(path, name, text, log, max_line_bytes, decode_json)
    else:
        first = text.lstrip()[:1]
        if first in ("{", "["):
            yield from _json(path, name, text, log, max_line_bytes, decode_json)
        else:
            yield SourceItem(name, None, None, reason=(
                f"unknown file type {suffix or '(no extension)'}: use .json, .jsonl, .ndjson or .csv"))


def _json(path: Path, name: str, text: str, log: ReadLog, max_line_bytes: int,
          decode_json: bool) -> Iterator[SourceItem]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            log.notes.append(f"{name}: holds one JSON object per line; read as JSON Lines")
            yield from _lines(name, io.StringIO(text), None, max_line_bytes, decode_json)
            return
        yield SourceItem(name, None, text, reason=_json_error(exc))
        return
    except RecursionError:
        yield SourceItem(name, None, text, reason="JSON nested too deeply")
        return
    if isinstance(value, dict):
        yield SourceItem(name, value, value)
    elif isinstance(value, list):
        if not value:
            yield SourceItem(name, None, text, reason="the file holds an empty list")
        for i, v in enumerate(value):
            where = f"{name}[{i}]"
            if isinstance(v, dict):
                yield SourceItem(where, v, v)
            else:
                yield SourceItem(where, None, v, reason=f"not a JSON object but {_type(v)}")
    else:
        yield SourceItem(name, None, value, reason=f"not a JSON object or list but {_type(value)}")


def _json_lines(path: Path, log: ReadLog, max_line_bytes: int,
                decode_json: bool) -> Iterator[SourceItem]:
    name = str(path)
    with path.open("rb") as f:
        yield from _lines(name, f, log, max_line_bytes, decode_json)


def _lines(name: str, f, log: ReadLog | None, max_line_bytes: int,
           decode_json: bool) -> Iterator[SourceItem]:
    cp1252_lines = 0
    for lineno, line in enumerate(f, 1):
        if isinstance(line, bytes):
            if lineno == 1 and line.startswith(BOM):
                line = line[3:]
            if len(line) > max_line_bytes:
                yield SourceItem(f"{name}:{lineno}", None, None, reason=(
                    f"the line is {len(line):,} bytes, over the {max_line_bytes:,}-byte limit "
                    "for one report"))
                continue
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                line = line.decode("cp1252", errors="replace")
                cp1252_lines += 1
        elif lineno == 1:
            line = line.lstrip("\ufeff")
        text = line.strip()
        if not text:
            continue
        where = f"{name}:{lineno}"
        if not decode_json:
            yield SourceItem(where, None, text, text=text)
            continue
        yield decode_line(where, text)
    if cp1252_lines and log is not None:
        log.notes.append(f"{name}: {cp1252_lines:,} line(s) not UTF-8, read as cp1252 (Windows)")


def decode_line(where: str, text: str) -> SourceItem:
    """One JSON Lines line -> item (payload, or the reason it is not a report)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return SourceItem(where, None, text, reason=_json_error(exc, in_line=True))
    except RecursionError:
        return SourceItem(where, None, text, reason="JSON nested too deeply")
    if not isinstance(value, dict):
        return SourceItem(where, None, text, reason=f"not a JSON object but {_type(value)}")
    return SourceItem(where, value, text)


def _json_error(exc: json.JSONDecodeError, *, in_line: bool = False) -> str:
    truncated = exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated")
    what = "truncated or invalid JSON" if truncated else "invalid JSON"
    where = f"column {exc.colno}" if in_line else f"line {exc.lineno}, column {exc.colno}"
    msg = exc.msg.replace("starting at", "starting there")
    return f"{what} at {where}: {msg}"


def _type(v: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number",
            bool: "true/false", type(None): "null"}.get(type(v), type(v).__name__)


def _csv(name: str, text: str, kind: str | None) -> Iterator[SourceItem]:
    lines = text.splitlines(keepends=True)
    try:
        reader = csv.reader(iter(lines))
        header = next(reader, None)
    except csv.Error as exc:
        yield SourceItem(f"{name}:1", None, lines[0] if lines else "",
                         reason=f"unreadable CSV header: {exc}")
        return
    if not header or not any(h.strip() for h in header):
        yield SourceItem(f"{name}:1", None, lines[0] if lines else "",
                         reason="no header row (the first row names the columns)")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    file_kind = kind if kind not in (None, "auto") else csv_layout.detect_kind(header)
    keys = {csv_layout.header_key(h) for h in header}
    if "source_ref" not in keys:
        yield SourceItem(f"{name}:1", None, lines[0], field="source_ref", reason=(
            "the CSV has no source_ref column (see ingest/README.md for the layout)"))
        return
    kind_col = next((h for h in header if csv_layout.header_key(h) == "kind"), None)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            end = reader.line_num
            yield SourceItem(f"{name}:{start}", None, "".join(lines[start - 1:end]),
                             reason=f"unreadable CSV row: {exc}")
            start = end + 1
            continue
        end = reader.line_num
        raw = "".join(lines[start - 1:end])
        where = f"{name}:{start}"
        start = end + 1
        if not any(c.strip() for c in row):
            continue
        cells = dict(zip(header, row))
        if len(row) > len(header):
            cells[None] = row[len(header):]
        row_kind = csv_layout.header_key(cells.get(kind_col) or "") if kind_col else ""
        if not (row_kind or file_kind):
            yield SourceItem(where, None, raw, field="kind", reason=(
                "cannot tell the report kind: add a kind column, use intel or referral columns, "
                "or pass --kind"))
            continue
        try:
            payload, cols = csv_layout.row_to_payload(cells, file_kind or row_kind)
        except (ValueError, TypeError) as exc:  # defensive: the layout should never raise
            yield SourceItem(where, None, raw, reason=f"cannot map the row: {exc}")
            continue
        yield SourceItem(where, payload, raw, columns=cols)
