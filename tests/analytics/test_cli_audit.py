"""The analytics commands as an analyst runs them: JSON out, and every look at personal data in
the audit log with who, what and why."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from linkage.analytics.flags import import_orders, read_orders
from linkage.audit import AuditLog
from linkage.cli import app
from linkage.errors import UserError

PURPOSE = "OP-TEST-42 network review"


@pytest.fixture(scope="module")
def cli(aw):
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, ["--store", str(aw.settings.store), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    return invoke


def _audit(aw) -> AuditLog:
    from linkage.settings import Settings

    return AuditLog(Settings(store=aw.settings.store).audit_file())


def test_read_commands_answer_in_json_and_are_audited_with_their_purpose(aw, cli):
    ocg = next(o for o in aw.planted["ocgs"] if o["cross_border"])
    lead = aw.entity_of[ocg["exploiters"][0]]
    label = aw.store.entities([lead])[0]["label"]
    hits = json.loads(cli("search", label, "--json", "--purpose", PURPOSE).stdout)
    assert lead in [h["entity_id"] for h in hits]
    sub = json.loads(cli("network", lead, "--hops", "2", "--json", "--purpose", PURPOSE).stdout)
    assert sub["nodes"][0]["entity_id"] == lead
    venues = [aw.entity_of[v] for v in ocg["venues"] if v.startswith("L")]
    found = json.loads(cli("path", venues[0], venues[-1], "--json", "--purpose", PURPOSE).stdout)
    assert isinstance(found, list)
    rows = json.loads(cli("venues", "--linked", "--json", "--purpose", PURPOSE).stdout)
    assert rows and all(r["linked"] for r in rows)
    nets = json.loads(cli("networks", "--cross-border", "--json", "--purpose", PURPOSE).stdout)
    assert nets and all(len(n["forces"]) >= 2 for n in nets)
    log = _audit(aw)
    for action, subject in (("consult_search", label), ("consult_network", lead),
                            ("consult_path", venues[0]), ("consult_venues", None),
                            ("consult_networks", None)):
        entries = [e for e in log.entries(action=action) if e["purpose"] == PURPOSE]
        assert entries, action
        if subject:
            assert entries[-1]["subject"] == subject
        assert entries[-1]["actor"]
    assert log.verify().ok


def test_human_readable_output_names_links_and_evidence(aw, cli):
    lead = aw.entity_of[aw.planted["ocgs"][0]["exploiters"][0]]
    out = cli("network", lead, "--hops", "1").stdout
    assert "reports:" in out and "entities" in out
    assert "Networks" in cli("networks", "--min-size", "5").stdout
    assert "Venues" in cli("venues", "--linked", "--limit", "5").stdout


def test_export_graph_writes_a_file_and_records_the_disclosure(aw, cli, tmp_path):
    lead = aw.entity_of[aw.planted["ocgs"][0]["exploiters"][0]]
    out = tmp_path / "chart.anx"
    cli("export", "graph", lead, "--hops", "1", "--format", "anx", "--out", str(out), "--purpose", PURPOSE)
    assert out.read_bytes().startswith(b"<?xml")
    entry = _audit(aw).entries(action="disclose_export_graph")[-1]
    assert entry["subject"] == lead and entry["purpose"] == PURPOSE and entry["details"]["format"] == "anx"


def test_orders_and_flags_commands(aw, cli, tmp_path):
    rows = json.loads(cli("orders", "list", "--json", "--purpose", PURPOSE).stdout)
    assert {r["order_ref"] for r in rows} == {o["order_ref"] for o in aw.world.orders}
    flagged = json.loads(cli("flags", "list", "section45", "--json").stdout)
    assert flagged and all("section45" in e["flags"] for e in flagged)


def test_a_bad_orders_file_names_the_line_and_the_field(aw, tmp_path):
    bad = tmp_path / "orders.csv"
    bad.write_text("order_ref,order_type,full_name,dob,force,made_on,expires_on\n"
                   "STPO/1,STPO,Jan KOWALSKI,1980-01-02,kent,2024-01-01,2029-01-01\n"
                   "STPO/2,ASBO,Jan KOWALSKI,1980-01-02,kent,2024-01-01,2029-01-01\n", encoding="utf-8")
    with pytest.raises(UserError, match="line 3: order_type"):
        import_orders(aw.store, bad)
    bad.write_text("order_ref,order_type,full_name,dob\nSTRO/9,stro,Jan KOWALSKI,02/01/1980\n", encoding="utf-8")
    (order,) = read_orders(bad)
    assert order["order_type"] == "STRO" and order["dob"] == "1980-01-02"
    bad.write_text('{"order_ref": "X", "order_type": "STPO", "full_name": "A B", "dob": "not a date"}\n',
                   encoding="utf-8")
    with pytest.raises(UserError, match="dob"):
        read_orders(bad)
