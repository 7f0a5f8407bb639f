"""Same (reports, seed, as_of), same world: in one process, across processes with different hash
seeds, and on disk byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from linkage.generate import generate_world, write_world
from tests.generate.conftest import AS_OF

ROOT = Path(__file__).resolve().parents[2]
DIGEST = """
import hashlib, json, sys
from datetime import date
from linkage.generate import generate_world
w = generate_world(600, seed=5, as_of=date.fromisoformat(sys.argv[1]))
text = json.dumps([w.reports, w.truth, w.planted, w.orders], sort_keys=True, ensure_ascii=False)
print(hashlib.sha256(text.encode()).hexdigest())
"""


def _digest(w) -> str:
    text = json.dumps([w.reports, w.truth, w.planted, w.orders], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_same_world_and_another_seed_another():
    a = generate_world(600, seed=5, as_of=AS_OF)
    b = generate_world(600, seed=5, as_of=AS_OF)
    assert a.reports == b.reports and a.truth == b.truth
    assert a.planted == b.planted and a.orders == b.orders
    c = generate_world(600, seed=6, as_of=AS_OF)
    assert c.reports != a.reports


def test_same_world_in_other_processes_whatever_the_hash_seed():
    here = _digest(generate_world(600, seed=5, as_of=AS_OF))
    for hash_seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", DIGEST, AS_OF.isoformat()], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        assert out.stdout.strip() == here


def test_written_files_are_identical(tmp_path):
    w = generate_world(400, seed=9, as_of=AS_OF)
    first = write_world(w, tmp_path / "a")
    second = write_world(generate_world(400, seed=9, as_of=AS_OF), tmp_path / "b")
    assert set(first) == {"nrm", "dtn", "intel", "referral", "truth", "planted", "orders"}
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name
    lines = sum(len(first[k].read_text(encoding="utf-8").splitlines())
                for k in ("nrm", "dtn", "intel", "referral"))
    assert lines == 400
    assert first["truth"].read_text(encoding="utf-8").splitlines()[0] == (
        "report_kind,source_ref,record_ref,record_type,true_entity,anonymous")
    assert json.loads(first["planted"].read_text(encoding="utf-8")) == w.planted


def test_as_of_defaults_to_today_and_dates_stay_in_the_window():
    w = generate_world(60, seed=1)
    assert w.planted["as_of"] == date.today().isoformat()
    assert all(r["reported_at"] <= date.today().isoformat() for r in w.reports)


def test_tiny_and_empty_worlds():
    assert generate_world(0, as_of=AS_OF).reports == []
    w = generate_world(5, as_of=AS_OF)
    assert len(w.reports) == 5 and w.truth
