"""HTTP API under load: a real `linkage serve` on ~3,000 generated reports (ingested and
resolved), 20 concurrent clients doing searches and 2-hop network requests; p50/p95 latency per
endpoint (target p95 < 100 ms)."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPORTS = 3000
CLIENTS = 20
REQUESTS_PER_CLIENT = 40  # half searches, half 2-hop networks
TARGET_P95_MS = 100.0
ROOT = Path(__file__).resolve().parents[1]


def _build(store_path: Path, console) -> tuple[list[str], list[str]]:
    """Generate, ingest and resolve; returns search terms and entity ids with links."""
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.generate import generate_world
    from linkage.resolve.pipeline import resolve
    from linkage.settings import Settings
    from linkage.store import open_store

    settings = Settings(store=store_path)
    store = open_store(settings)
    try:
        t0 = time.perf_counter()
        world = generate_world(REPORTS, seed=7)
        ingest_payloads(store, world.reports, lookup=ForceLookup.shipped())
        resolve(store)
        try:
            from linkage.analytics.flags import refresh_flags

            refresh_flags(store, settings)
        except ImportError:
            pass
        console.print(f"  demo data: {REPORTS:,} reports ingested and resolved in {time.perf_counter() - t0:.1f} s")
        linked: dict[str, int] = {}
        for l in store.entity_links():
            linked[l["src"]] = linked.get(l["src"], 0) + 1
            linked[l["dst"]] = linked.get(l["dst"], 0) + 1
        people = [e for e in store.all_entities("person") if e.get("label") and e["entity_id"] in linked]
        people.sort(key=lambda e: e["entity_id"])
        terms = [e["label"] for e in people[:200]]
        seeds = [e["entity_id"] for e in people[:200]]
    finally:
        store.close()
    return terms, seeds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(store_path: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINKAGE_", "NEO4J_"))}
    proc = subprocess.Popen([sys.executable, "-m", "linkage", "--store", str(store_path), "serve",
                             "--port", str(port), "--log-level", "warning"],
                            stdout=log_path.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"linkage serve exited: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("linkage serve did not start")


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process so far, where /proc tells it (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))]


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    store_path = workdir / "graph"
    terms, seeds = _build(store_path, console)
    from linkage.settings import Settings
    from linkage.users import UserStore

    _, token = UserStore.for_settings(Settings(store=store_path)).add("bench", "analyst")
    proc, base = _start(store_path, workdir / "serve.log")
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "BENCH-API"}
    timings: dict[str, list[float]] = {"search": [], "network 2-hop": []}
    errors: list[int] = []
    lock = threading.Lock()
    try:
        single: list[float] = []
        with httpx.Client(base_url=base, headers=headers, timeout=60) as one:  # first use builds indexes
            one.get("/api/v1/search", params={"q": terms[0]}).raise_for_status()
            one.get(f"/api/v1/entities/{seeds[0]}/network", params={"hops": 2}).raise_for_status()
            for i in range(20):  # one client alone, for comparison
                t0 = time.perf_counter()
                one.get("/api/v1/search", params={"q": terms[i % len(terms)], "limit": 20})
                single.append((time.perf_counter() - t0) * 1000)

        # Every client is built before any is timed: building an httpx.Client loads the CA
        # bundle (tens of ms of CPU, in this process, under its GIL), which otherwise landed in
        # the first requests of the clients already running.
        started: list[float] = []
        ready = threading.Barrier(CLIENTS, action=lambda: started.append(time.perf_counter()))

        def client(n: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                ready.wait()
                for i in range(REQUESTS_PER_CLIENT):
                    k = n * REQUESTS_PER_CLIENT + i
                    if i % 2 == 0:
                        name, req = "search", ("/api/v1/search", {"q": terms[k % len(terms)], "limit": 20})
                    else:
                        name, req = "network 2-hop", (f"/api/v1/entities/{seeds[k % len(seeds)]}/network",
                                                      {"hops": 2})
                    t0 = time.perf_counter()
                    r = c.get(req[0], params=req[1])
                    ms = (time.perf_counter() - t0) * 1000
                    with lock:
                        timings[name].append(ms)
                        if r.status_code != 200:
                            errors.append(r.status_code)

        cpu0 = _cpu_seconds(proc.pid)
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, range(CLIENTS)))
        wall = time.perf_counter() - started[0]
        cpu1 = _cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    total = sum(len(v) for v in timings.values())
    rows = [("search p50 (ms, one client alone)", f"{statistics.median(single):.1f}", "-")]
    for name, vals in timings.items():
        rows.append((f"{name} p50 (ms, {CLIENTS} concurrent clients)", f"{statistics.median(vals):.1f}", "-"))
        rows.append((f"{name} p95 (ms, {CLIENTS} concurrent clients)", f"{_pct(vals, 0.95):.1f}",
                     f"< {TARGET_P95_MS:.0f}"))
    rows.append(("requests/s overall", f"{total / wall:,.0f}", "-"))
    if cpu0 is not None and cpu1 is not None:
        rows.append(("server CPU per request (ms; steadier than latency on a busy machine)",
                     f"{(cpu1 - cpu0) * 1000 / total:.2f}", "-"))
    rows.append(("load average (1 min) at the end", f"{os.getloadavg()[0]:.2f}", "-"))
    rows.append(("non-200 responses", f"{len(errors)}", "0"))
    rows.append(("audit log append (ms; one per request, serialised)", f"{_audit_append_ms(workdir):.1f}", "-"))
    return rows


def _audit_append_ms(workdir: Path, n: int = 50) -> float:
    """What one audit entry costs on this disk (each request writes one, one at a time)."""
    from linkage.audit import AuditLog

    log = AuditLog(workdir / "audit-probe.sqlite")
    t0 = time.perf_counter()
    for i in range(n):
        log.append("bench", actor="bench", purpose="BENCH-API", endpoint="GET /api/v1/search",
                   params={"q": "probe"}, entity_ids=[f"P-{i:010d}"] * 20)
    return (time.perf_counter() - t0) * 1000 / n


if __name__ == "__main__":
    import tempfile

    from rich.console import Console

    with tempfile.TemporaryDirectory(prefix="bench_api-") as tmp:
        for row in run(Path(tmp), Console()):
            print(*row, sep="  |  ")
