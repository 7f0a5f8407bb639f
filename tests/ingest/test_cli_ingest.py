"""`linkage ingest` as a user runs it: a real process, a real store, exit codes, the summary and
the rejects file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ingest import payloads as P
from tests.ingest.conftest import write_jsonl

ROOT = Path(__file__).resolve().parents[2]


def linkage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linkage", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=180, env=_env())


def _env():
    import os

    env = dict(os.environ)
    env["COLUMNS"] = "200"
    return env


def test_ingest_a_mixed_file_then_again(tmp_path):
    store = tmp_path / "graph"
    bad = P.intel()
    bad["source_ref"] = "INT-BAD"
    bad["subjects"][0]["dob"] = "not a date"
    src = write_jsonl(tmp_path / "reports.jsonl",
                      [P.nrm(), bad, P.dtn(), '{"kind": "intel", "source_', P.referral()])
    out = linkage("--store", str(store), "ingest", str(src))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "3 accepted" in out.stdout and "2 rejected" in out.stdout
    assert "subjects[0].dob" in out.stdout
    rejects = list(tmp_path.glob("rejects-*.jsonl"))
    assert len(rejects) == 1 and str(rejects[0].name) in out.stdout.replace("\n", "")
    kept = [json.loads(l) for l in rejects[0].read_text().splitlines()]
    assert [k["source_ref"] for k in kept] == ["INT-BAD", None]
    assert kept[1]["raw"] == '{"kind": "intel", "source_'

    again = linkage("--store", str(store), "ingest", str(src), "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["by_status"] == {"accepted": 0, "new_version": 0, "unchanged": 3, "rejected": 2}
    assert summary["rejected"][0]["field"] == "subjects[0].dob"

    from linkage.store.embedded import EmbeddedStore

    with EmbeddedStore(store, read_only=True) as s:
        assert s.counts()["Report"] == 3


def test_nothing_readable_is_exit_1_with_one_line(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    out = linkage("--store", str(tmp_path / "g"), "ingest", str(empty))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "nothing could be read" in out.stderr


def test_bad_kind_option_is_a_user_error(tmp_path):
    src = write_jsonl(tmp_path / "r.jsonl", [P.nrm()])
    out = linkage("--store", str(tmp_path / "g"), "ingest", str(src), "--kind", "nope")
    assert out.returncode == 1 and "--kind" in out.stderr
