"""`linkage serve` as a process: it owns the embedded store, so a CLI write beside it gets the
adapter's clear "store busy" message; it stops cleanly; `linkage users` manages its tokens."""

from __future__ import annotations

import json
import subprocess

import httpx

from tests.api.conftest import ROOT, clean_env, copy_world, linkage_cmd, start_server


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(linkage_cmd(*args), capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          env=clean_env())


def test_cli_write_beside_a_running_api_gets_store_busy(world_base, tmp_path):
    settings, info = copy_world(world_base, tmp_path / "w")
    store = str(settings.store)
    out = run("--store", store, "users", "add", "ops", "--role", "ingest", "--json")
    assert out.returncode == 0, out.stderr
    token = json.loads(out.stdout)["token"]
    server = start_server(settings.store, tmp_path / "server.log")
    try:
        payload = tmp_path / "reports.jsonl"
        payload.write_text(json.dumps(dict(info["sample_report"], source_ref="BUSY-1")) + "\n")
        busy = run("--store", store, "ingest", str(payload))
        assert busy.returncode == 1, busy.stdout + busy.stderr
        said = " ".join(busy.stderr.split())
        assert "open in another process" in said and "Traceback" not in said
        # ... while the same write through the API goes in
        r = httpx.post(f"{server.base_url}/api/v1/reports", content=payload.read_bytes(), timeout=60,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"})
        assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted"
        assert httpx.get(f"{server.base_url}/readyz").status_code == 200
    finally:
        server.stop()
    assert server.proc.returncode == 0 or server.proc.returncode == -15
    # with the API stopped, the CLI owns the store again
    again = run("--store", store, "ingest", str(payload), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["by_status"]["unchanged"] == 1


def test_serve_refuses_to_start_when_the_store_is_held(world_base, tmp_path):
    settings, _ = copy_world(world_base, tmp_path / "w")
    first = start_server(settings.store, tmp_path / "first.log")
    try:
        second = subprocess.run(linkage_cmd("--store", str(settings.store), "serve", "--port", "0"),
                                capture_output=True, text=True, cwd=ROOT, timeout=60, env=clean_env())
        assert second.returncode == 1
        assert "open in another process" in " ".join((second.stderr + second.stdout).split())
    finally:
        first.stop()


def test_users_add_list_revoke(tmp_path):
    store = str(tmp_path / "graph")
    out = run("--store", store, "users", "add", "fiona", "--role", "force", "--force", "West Midlands Police")
    assert out.returncode == 0, out.stderr
    token = out.stdout.strip().splitlines()[-1]
    assert len(token) >= 40
    assert run("--store", store, "users", "add", "frank", "--role", "force").returncode == 1  # needs --force
    assert run("--store", store, "users", "add", "x", "--role", "wizard").returncode == 1
    listed = json.loads(run("--store", store, "users", "list", "--json").stdout)
    assert listed == [{"name": "fiona", "role": "force", "force": "west-midlands",
                       "created_at": listed[0]["created_at"], "revoked_at": None}]
    assert token not in (tmp_path / "graph-state" / "users.sqlite").read_bytes().decode("latin-1")
    assert run("--store", store, "users", "revoke", "fiona").returncode == 0
    assert json.loads(run("--store", store, "users", "list", "--json").stdout)[0]["revoked_at"]
    assert run("--store", store, "users", "revoke", "nobody").returncode == 1
