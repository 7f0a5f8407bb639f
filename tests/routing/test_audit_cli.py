"""The hub's commands and the audit trail as an inspector meets them: a real store, the commands
run in-process, and `linkage audit verify` as a real process (its exit code is the contract).

`linkage audit show --report REF` tells how and when a referral was assessed and shared;
`linkage audit verify` notices an entry changed in the SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from linkage.cli import app
from tests.routing import payloads as P

ROOT = Path(__file__).resolve().parents[2]


def run(store: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKAGE_")}
    env.update(LINKAGE_USER="hub analyst", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "linkage", "--store", str(store), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)


def test_route_dispatch_and_audit_commands_and_tampering_is_detected(hub, monkeypatch):
    monkeypatch.setenv("LINKAGE_USER", "hub analyst")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("LINKAGE_DELIVERY_CONFIG", raising=False)
    hub.load(P.two_force_nrm(), P.unlocatable_dtn())
    hub.close()  # the commands open the store themselves
    store = hub.settings.store
    cli = CliRunner()

    def linkage(*args: str):
        return cli.invoke(app, ["--store", str(store), *args])

    out = linkage("route", "--by", "A. Analyst")
    assert out.exit_code == 0, out.stdout
    assert "NRM-TWO-1" in out.stdout and "2 dispatch(es), 1 to triage" in out.stdout
    assert "delivery: 2 attempted" in out.stdout  # no targets configured: both failed, kept visible

    assert "nothing to route" in linkage("route").stdout
    listed = json.loads(linkage("dispatches", "--json").stdout)
    assert sorted(d["force"] for d in listed) == ["greater-manchester", "west-midlands"]
    wm = next(d for d in listed if d["force"] == "west-midlands")["dispatch_id"]
    failed = linkage("dispatches", "--status", "failed")
    assert failed.exit_code == 0 and "no delivery target" in failed.stdout
    stats = json.loads(linkage("dispatches", "--stats", "--json").stdout)
    assert set(stats["forces"]) == {"greater-manchester", "west-midlands"}
    assert [t["source_ref"] for t in json.loads(linkage("triage", "--json").stdout)] == ["DTN-NOWHERE-1"]

    ack = linkage("dispatch", "ack", wm, "--by", "DS Patel")
    assert ack.exit_code == 0 and "acknowledged by DS Patel" in ack.stdout
    again = linkage("dispatch", "ack", wm, "--by", "DS Patel")
    assert again.exit_code != 0 and "it is acknowledged" in again.exception.message

    trail = json.loads(linkage("audit", "show", "--report", "NRM-TWO-1", "--json").stdout)
    actions = [e["action"] for e in trail["entries"]]
    assert actions[0] == "route_assess" and trail["entries"][0]["actor"] == "A. Analyst"
    assert actions.count("dispatch_create") == 2
    assert actions[-1] == "dispatch_ack" and trail["entries"][-1]["actor"] == "DS Patel"
    assert [e["seq"] for e in trail["entries"]] == sorted(e["seq"] for e in trail["entries"])
    shown = linkage("audit", "show", "--report", "NRM-TWO-1")
    assert shown.exit_code == 0 and "dispatch_ack" in shown.stdout and "route_assess" in shown.stdout

    ok = run(store, "audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout

    # someone edits one entry in the SQLite file: the chain is broken from there
    edited = trail["entries"][1]["seq"]
    db = sqlite3.connect(hub.settings.audit_file())
    db.execute("UPDATE audit SET actor = 'somebody else' WHERE seq = ?", (edited,))
    db.commit()
    db.close()
    bad = run(store, "audit", "verify")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"entry {edited}" in bad.stderr and "changed" in bad.stderr and "Traceback" not in bad.stderr
    as_json = linkage("audit", "verify", "--json")
    assert json.loads(as_json.stdout)["first_bad"] == edited and as_json.exit_code != 0
