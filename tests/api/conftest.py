"""API tests run against a real embedded store loaded with generated data, through the app in
process (httpx via TestClient) and through a real `linkage serve` on 127.0.0.1.

The world (800 generated reports, ingested, resolved, referrals routed) is built once per run
and copied into each module's own folder, so a module that judges or routes changes only its copy.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest

from linkage.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PURPOSE = "OP-TEST-001 api tests"
ROLES = ("analyst", "hub", "force", "ingest", "admin")
AS_OF = date(2025, 6, 30)  # the generated world's "today", so every run sees the same data


def build_world(base: Path, reports: int = 800, seed: int = 3) -> dict:
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.generate import generate_world
    from linkage.resolve.pipeline import resolve
    from linkage.store import open_store

    settings = Settings(store=base / "graph")
    store = open_store(settings)
    try:
        world = generate_world(reports, seed=seed, as_of=AS_OF)
        result = ingest_payloads(store, world.reports, lookup=ForceLookup.shipped())
        resolve(store)
        try:
            from linkage.analytics.flags import refresh_flags
        except ImportError:
            pass
        else:
            refresh_flags(store, settings)
        dispatches = []
        try:
            from linkage.jobs.routing import list_dispatches, route_all
        except ImportError:
            pass
        else:
            route_all(store, settings, by="fixture-hub")
            dispatches = list_dispatches(store)
        info = _pick(store, dispatches)
        info["accepted"] = sum(1 for r in result.results if r.status == "accepted")
        info["sample_report"] = world.reports[0]
        info["as_of"] = AS_OF.isoformat()
    finally:
        store.close()
    return info


def _pick(store, dispatches: list[dict]) -> dict:
    """Entities and dispatches the tests use, chosen from the data."""
    links = store.entity_links()
    degree: dict[str, int] = {}
    adj: dict[str, set] = {}
    for l in links:
        degree[l["src"]] = degree.get(l["src"], 0) + 1
        degree[l["dst"]] = degree.get(l["dst"], 0) + 1
        adj.setdefault(l["src"], set()).add(l["dst"])
        adj.setdefault(l["dst"], set()).add(l["src"])
    people = [e for e in store.all_entities("person") if degree.get(e["entity_id"]) and e.get("label")]
    people.sort(key=lambda e: (-degree[e["entity_id"]], e["entity_id"]))
    person = people[0]
    # a target two hops away (through something that is not a hub-like node)
    a = person["entity_id"]
    two = sorted(b for m in sorted(adj[a]) for b in adj.get(m, ()) if b != a and b not in adj[a])
    multi = store.all_entities("person")
    multi = [e for e in multi if e.get("record_count", 0) >= 2] or multi
    ent = store.entity(multi[0]["entity_id"])
    forces: dict[str, int] = {}
    for d in dispatches:
        forces[d["force"]] = forces.get(d["force"], 0) + 1
    own = max(forces, key=lambda f: (forces[f], f)) if forces else "west-midlands"
    other = next((f for f in sorted(forces, key=lambda f: -forces[f]) if f != own), None)
    return {
        "person_id": a, "person_label": person["label"], "path_target": two[0] if two else sorted(adj[a])[0],
        "multi_entity": ent["entity_id"], "multi_records": [r["record_id"] for r in ent["records"]],
        "force": own, "other_force": other or ("metropolitan" if own != "metropolitan" else "kent"),
        "dispatches": len(dispatches),
        "own_dispatch": next((d["dispatch_id"] for d in dispatches if d["force"] == own), None),
        "other_dispatch": next((d["dispatch_id"] for d in dispatches if d["force"] != own), None),
    }


@pytest.fixture(scope="session")
def world_base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("api-world")
    info = build_world(base)
    (base / "info.json").write_text(json.dumps(info, default=str))
    return base


def copy_world(world_base: Path, dest: Path) -> tuple[Settings, dict]:
    shutil.copytree(world_base, dest, dirs_exist_ok=True)
    info = json.loads((dest / "info.json").read_text())
    return Settings(store=dest / "graph"), info


def make_users(settings: Settings, info: dict) -> dict[str, str]:
    from linkage.users import UserStore

    users = UserStore.for_settings(settings)
    tokens = {}
    for role in ROLES:
        _, tokens[role] = users.add(f"test-{role}", role, force=info["force"] if role == "force" else None)
    _, tokens["other_force"] = users.add("test-other-force", "force", force=info["other_force"])
    _, revoked = users.add("test-revoked", "analyst")
    users.revoke("test-revoked")
    tokens["revoked"] = revoked
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def linkage_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "linkage", *args]


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("LINKAGE_", "NEO4J_"))}


@dataclass
class Server:
    proc: subprocess.Popen
    base_url: str
    log_path: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(store: Path, log_path: Path, *, timeout: float = 90) -> Server:
    port = free_port()
    log = log_path.open("wb")
    proc = subprocess.Popen(linkage_cmd("--store", str(store), "serve", "--port", str(port)),
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=clean_env())
    server = Server(proc, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"linkage serve exited with {proc.returncode}:\n{server.log()[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"linkage serve did not answer /healthz in {timeout:.0f} s:\n{server.log()[-3000:]}")


@dataclass
class Api:
    """A client for one app (in process or a real server) with tokens for every role."""

    client: httpx.Client
    tokens: dict[str, str]
    settings: Settings
    info: dict
    transport: str
    server: Server | None = None
    extra: dict = field(default_factory=dict)

    def headers(self, role: str | None = "analyst", purpose: str | None = PURPOSE, **more) -> dict:
        h = {}
        if role is not None:
            h["Authorization"] = f"Bearer {self.tokens.get(role, role)}"
        if purpose is not None:
            h["X-Purpose"] = purpose
        h.update(more)
        return h

    def request(self, method: str, path: str, *, role: str | None = "analyst", purpose: str | None = PURPOSE,
                headers: dict | None = None, **kw) -> httpx.Response:
        h = self.headers(role, purpose)
        h.update(headers or {})
        return self.client.request(method, path, headers=h, **kw)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> httpx.Response:
        return self.request("POST", path, **kw)

    def audit(self):
        from linkage.audit import AuditLog

        return AuditLog(self.settings.audit_file())


@pytest.fixture(scope="module", params=["asgi", "server"])
def api(request, world_base, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"api-{request.param}")
    settings, info = copy_world(world_base, folder)
    tokens = make_users(settings, info)
    if request.param == "asgi":
        from fastapi.testclient import TestClient

        from api.app import create_app

        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield Api(client, tokens, settings, info, "asgi")
        return
    server = start_server(settings.store, folder / "server.log")
    try:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            yield Api(client, tokens, settings, info, "server", server)
    finally:
        server.stop()
