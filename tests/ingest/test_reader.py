"""Files as people send them: JSON, JSON Lines, Windows encodings, byte-order marks, empty and
oversized files. Every problem is a message; nothing stops the other reports."""

from __future__ import annotations

import json

from ingest.reader import read_paths, ReadLog
from ingest.run import ingest_files
from tests.ingest import payloads as P
from tests.ingest.conftest import RECEIVED, write_jsonl


def _ingest(store, lookup, *paths, **kw):
    return ingest_files(store, list(paths), lookup=lookup, received_at=RECEIVED, **kw)


def test_a_json_file_with_one_object_or_a_list(store, lookup, tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps(P.nrm(), ensure_ascii=False), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([P.dtn(), 42, P.intel()]), encoding="utf-8")
    res = _ingest(store, lookup, one, many)
    assert [r.status for r in res.results] == ["accepted", "accepted", "rejected", "accepted"]
    assert res.results[2].location == f"{many}[1]" and "not a JSON object" in res.results[2].reason
    assert json.loads(res.rejects_path.read_text().splitlines()[0])["raw"] == 42


def test_truncated_json_file_names_line_and_column(store, lookup, tmp_path):
    f = tmp_path / "cut.json"
    f.write_text('[\n  {"kind": "nrm",\n   "source_ref": "X"', encoding="utf-8")
    res = _ingest(store, lookup, f)
    r = res.results[0]
    assert r.status == "rejected" and "line 3" in r.reason and "column" in r.reason
    assert not res.read_any


def test_a_json_file_that_holds_json_lines_is_read_as_lines(store, lookup, tmp_path):
    f = write_jsonl(tmp_path / "actually-lines.json", [P.nrm(), P.dtn()])
    res = _ingest(store, lookup, f)
    assert res.statuses["accepted"] == 2
    assert any("JSON Lines" in n for n in res.notes)


def test_cp1252_file_is_read_and_the_note_says_so(store, lookup, tmp_path):
    p = P.referral()
    p["subjects"][1]["full_name"] = "José Müller"
    f = tmp_path / "windows.jsonl"
    f.write_bytes((json.dumps(p, ensure_ascii=False) + "\r\n").encode("cp1252"))
    res = _ingest(store, lookup, f)
    assert res.results[0].status == "accepted"
    assert any("cp1252" in n for n in res.notes)
    person = [r for r in store.records("person") if r["ref"] == "a1"][0]
    assert person["display"] == "José Müller"


def test_utf8_with_a_byte_order_mark(store, lookup, tmp_path):
    lines = tmp_path / "bom.jsonl"
    lines.write_bytes(b"\xef\xbb\xbf" + (json.dumps(P.nrm(), ensure_ascii=False) + "\n").encode())
    whole = tmp_path / "bom.json"
    whole.write_bytes(b"\xef\xbb\xbf" + json.dumps(P.dtn(), ensure_ascii=False).encode())
    res = _ingest(store, lookup, lines, whole)
    assert [r.status for r in res.results] == ["accepted", "accepted"]
    assert not any("cp1252" in n for n in res.notes)


def test_empty_and_blank_files_are_reported_not_fatal(store, lookup, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.json"
    blank.write_text("  \n\n")
    good = write_jsonl(tmp_path / "good.jsonl", [P.nrm()])
    res = _ingest(store, lookup, empty, blank, good)
    assert [r.status for r in res.results] == ["rejected", "rejected", "accepted"]
    assert res.results[0].reason == "the file is empty"
    assert "blank" in res.results[1].reason


def test_files_over_the_size_cap_are_refused_with_a_message(store, lookup, tmp_path):
    big = write_jsonl(tmp_path / "big.jsonl", [P.nrm()] * 3)
    res = _ingest(store, lookup, big, max_bytes=1000)
    assert res.results[0].status == "rejected" and "limit" in res.results[0].reason
    assert store.counts()["Report"] == 0 and not res.read_any


def test_missing_files_and_unknown_types(store, lookup, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    res = _ingest(store, lookup, tmp_path / "nope.jsonl", other)
    assert [r.reason for r in res.results] == [
        "no such file", "unknown file type .txt: use .json, .jsonl, .ndjson or .csv"]


def test_a_folder_is_read_file_by_file_skipping_earlier_rejects(store, lookup, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [P.nrm()])
    write_jsonl(folder / "b.ndjson", [P.dtn()])
    (folder / "rejects-20260101T000000Z.jsonl").write_text('{"raw": 1}\n')
    res = _ingest(store, lookup, folder)
    assert res.statuses["accepted"] == 2 and len(res.results) == 2


def test_lines_are_numbered_from_one_and_blank_lines_skipped(tmp_path):
    f = tmp_path / "n.jsonl"
    f.write_text('\n{"a": 1}\n\n{"b": 2}\n')
    log = ReadLog()
    items = list(read_paths([f], log=log))
    assert [i.location for i in items] == [f"{f}:2", f"{f}:4"]
    assert log.files == 1 and log.items == 2


def test_estimate_reports_counts_without_parsing(tmp_path):
    from ingest.reader import estimate_reports

    lines = write_jsonl(tmp_path / "a.jsonl", [P.nrm(), P.dtn(), P.intel()])
    many = tmp_path / "many.json"
    many.write_text(json.dumps([P.dtn(), P.intel(), P.referral(), P.nrm()], indent=2), encoding="utf-8")
    csv = tmp_path / "intel.csv"
    csv.write_text("kind,source_ref\nintel,A\nintel,B\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert estimate_reports([lines]) == 3
    assert estimate_reports([many]) == 4
    assert estimate_reports([csv]) == 2
    assert estimate_reports([empty]) == 1  # a file is at least one item (its message)
    assert estimate_reports([tmp_path]) == 3 + 4 + 2 + 1  # a folder, file by file
    assert estimate_reports([lines], max_bytes=100) == 1  # to be refused for its size: unread
