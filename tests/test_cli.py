"""The command line as a user meets it: a real process, a real store, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env_store: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "linkage", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_init_then_status_reports_schema_and_counts(tmp_path):
    store = tmp_path / "graph"
    assert run("--store", str(store), "init").returncode == 0
    out = run("--store", str(store), "status", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["store"]["schema_version"] >= 1
    assert data["counts"]["Report"] == 0


def test_user_error_is_one_line_and_exit_code_1(tmp_path):
    store = tmp_path / "graph"
    assert run("--store", str(store), "init").returncode == 0
    # a newer schema than this program knows is a user-facing refusal, not a traceback
    code = ("from linkage.store.embedded import EmbeddedStore as E; s=E(%r); "
            "s.set_meta('schema_version','99'); s.close()" % str(store))
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    out = run("--store", str(store), "status")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "newer than this program" in out.stderr


def test_unknown_command_is_a_user_error():
    out = run("no-such-command")
    assert out.returncode != 0 and out.returncode != 2
    assert "Traceback" not in out.stderr


def test_ingest_batch_size_defaults_to_what_the_benchmark_measures():
    import typer.main

    from ingest.run import FILE_BATCH
    from linkage.cli import app

    ingest = typer.main.get_command(app).commands["ingest"]
    option = next(p for p in ingest.params if p.name == "batch_size")
    assert option.default == FILE_BATCH
