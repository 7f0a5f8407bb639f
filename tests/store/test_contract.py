"""The graph store contract: what every adapter must do the same way."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from datetime import date, datetime

import pytest

from linkage.errors import SchemaVersionError, StoreError
from linkage.model import Entity, EntityLink, Judgement, Membership
from linkage.store.embedded import EmbeddedStore

from tests.store.factories import bundle


def test_writing_a_report_twice_changes_nothing(store):
    first = store.write_reports([bundle("INT-1")])
    again = store.write_reports([bundle("INT-1")])
    assert [o.status for o in first] == ["accepted"]
    assert [o.status for o in again] == ["unchanged"]
    assert again[0].report_id == first[0].report_id
    counts = store.counts()
    assert counts["Report"] == 1
    assert counts["Record"] == 2
    assert counts["LINK"] == 1


def test_duplicates_inside_one_batch_are_written_once(store):
    outcomes = store.write_reports([bundle("INT-2"), bundle("INT-2")])
    assert [o.status for o in outcomes] == ["accepted", "unchanged"]
    assert store.counts()["Report"] == 1


def test_changed_content_is_a_new_version_and_both_are_kept(store):
    v1 = store.write_reports([bundle("INT-3", narrative="first account")])[0]
    v2 = store.write_reports([bundle("INT-3", narrative="corrected account")])[0]
    assert v2.status == "new_version"
    assert v1.report_id.endswith("-v1") and v2.report_id.endswith("-v2")
    versions = store.reports_by_source_ref("INT-3")
    assert [r["version"] for r in versions] == [1, 2]
    assert [r["narrative"] for r in versions] == ["first account", "corrected account"]
    # the second version's records are its own, not the first one's
    recs = store.records("person")
    assert {r["report_id"] for r in recs} == {v1.report_id, v2.report_id}
    # and sending the first version again is recognised as already held
    assert store.write_reports([bundle("INT-3", narrative="first account")])[0].status == "unchanged"


def test_reports_sent_as_rows_are_stored_as_bundles_are(store, tmp_path):
    # ingest's worker processes send rows; the store must keep exactly what write_reports keeps
    from linkage.store import rows as R

    out = store.write_report_rows([R.report_rows(bundle("INT-20", people=("p1", "p2")))])
    assert [o.status for o in out] == ["accepted"]
    other = EmbeddedStore(tmp_path / "by-bundle")
    try:
        other.write_reports([bundle("INT-20", people=("p1", "p2"))])
        strip = lambda rows: sorted((r["record_id"], r["attrs"], r["keys"]) for r in rows)
        assert strip(store.records()) == strip(other.records())
        assert store.report(out[0].report_id) == other.report(out[0].report_id)
        assert store.record_links() == other.record_links()
    finally:
        other.close()
    again = store.write_report_rows([R.report_rows(bundle("INT-20", people=("p1", "p2")))])
    assert [o.status for o in again] == ["unchanged"]


def test_a_new_version_sent_as_rows_gets_its_own_record_and_link_ids(store):
    from linkage.store import rows as R

    store.write_report_rows([R.report_rows(bundle("INT-21", narrative="first"))])
    v2 = store.write_report_rows([R.report_rows(bundle("INT-21", narrative="second"))])[0]
    assert v2.status == "new_version" and v2.report_id.endswith("-v2")
    mine = [r for r in store.records() if r["report_id"] == v2.report_id]
    assert len(mine) == 2 and all(r["record_id"].startswith(v2.report_id + "/") for r in mine)
    ids = {r["record_id"] for r in mine}
    links = [l for l in store.record_links() if l["report_id"] == v2.report_id]
    assert len(links) == 1 and {links[0]["src"], links[0]["dst"]} <= ids


def test_row_tuples_follow_the_schema_column_order():
    from linkage.store import rows as R
    from linkage.store import schema as S

    b = bundle("INT-22")
    assert tuple(R.report_row(b.report)) == tuple(S.REPORT.column_names())
    assert tuple(R.record_row(b.records[0])) == tuple(S.RECORD.column_names())
    assert tuple(R.link_row(b.links[0])) == ("src", "dst", *S.LINK.column_names())


def test_a_failing_batch_leaves_nothing_behind(store):
    good = bundle("INT-4")
    bad = bundle("INT-5")
    # two records with the same id: the store must refuse the batch as a whole
    bad.records.append(dataclasses.replace(bad.records[0]))
    with pytest.raises(StoreError):
        store.write_reports([good, bad])
    assert store.counts()["Report"] == 0
    assert store.counts()["Record"] == 0
    # and the store still works afterwards
    assert store.write_reports([good])[0].status == "accepted"


def test_counts_follow_every_write(store):
    assert store.counts()["Report"] == 0  # asked before any write, so a stale answer would show
    store.write_reports([bundle("INT-C1")])
    assert store.counts()["Report"] == 1
    if isinstance(store, EmbeddedStore):  # another store object on the same database
        other = EmbeddedStore(store.path)
        try:
            other.write_reports([bundle("INT-C2")])
        finally:
            other.close()
    else:
        store.write_reports([bundle("INT-C2")])
    assert store.counts()["Report"] == 2
    assert store.counts()["Record"] == 4


def test_report_reads_keep_the_raw_payload_and_dates(store):
    out = store.write_reports([bundle("INT-6", reported=date(2026, 9, 1))])[0]
    rep = store.report(out.report_id)
    assert rep["reported_at"] == date(2026, 9, 1)
    assert rep["received_at"] == datetime(2026, 10, 2, 9, 30)
    assert '"source_ref": "INT-6"' in rep["raw"]
    window = store.reports_between(date(2026, 8, 1), date(2026, 9, 30))
    assert [r["source_ref"] for r in window] == ["INT-6"]
    assert store.reports_between(date(2026, 1, 1), date(2026, 2, 1)) == []


def _resolve_two_reports(store):
    a = store.write_reports([bundle("INT-7", people=("p1",))])[0]
    b = store.write_reports([bundle("INT-8", people=("p9",))])[0]
    recs = {r["record_id"]: r for r in store.records()}
    ents = [Entity("E-ph", "phone", "+447700900123", value="+447700900123"),
            Entity("E-p1", "person", "Person p1"), Entity("E-p9", "person", "Person p9")]
    members = []
    for rid, r in recs.items():
        target = "E-ph" if r["record_type"] == "phone" else ("E-p1" if r["ref"] == "p1" else "E-p9")
        members.append(Membership(rid, target, 1.0, "test"))
    store.replace_resolution(["person", "phone"], ents, members)
    store.replace_entity_links([
        EntityLink("E-p1", "E-ph", "USES_PHONE", 1, date(2026, 10, 1), date(2026, 10, 1), [a.report_id], "2B", "P"),
        EntityLink("E-p9", "E-ph", "USES_PHONE", 1, date(2026, 10, 1), date(2026, 10, 1), [b.report_id], "2B", "P"),
    ])
    return a, b


def test_neighbourhood_reads_entities_within_k_hops_with_evidence(store):
    a, b = _resolve_two_reports(store)
    one = store.neighbourhood(["E-p1"], hops=1)
    assert {n["entity_id"] for n in one["nodes"]} == {"E-p1", "E-ph"}
    two = store.neighbourhood(["E-p1"], hops=2)
    assert {n["entity_id"] for n in two["nodes"]} == {"E-p1", "E-ph", "E-p9"}
    assert {n["entity_id"]: n["hops"] for n in two["nodes"]} == {"E-p1": 0, "E-ph": 1, "E-p9": 2}
    evidence = {(l["src"], l["dst"]): l["report_ids"] for l in two["links"]}
    assert evidence == {("E-p1", "E-ph"): [a.report_id], ("E-p9", "E-ph"): [b.report_id]}


def test_entity_read_brings_records_reports_and_why(store):
    _resolve_two_reports(store)
    ent = store.entity("E-ph")
    assert ent["record_count"] == 0 or ent["entity_type"] == "phone"
    assert len(ent["records"]) == 2
    assert {r["rule"] for r in ent["records"]} == {"test"}
    assert {r["source_ref"] for r in ent["reports"]} == {"INT-7", "INT-8"}
    assert store.entity("nope") is None


def test_incremental_resolution_repoints_records(store):
    _resolve_two_reports(store)
    p9 = [r for r in store.records("person") if r["ref"] == "p9"][0]
    store.update_resolution([Entity("E-p1", "person", "Person p1")],
                            [Membership(r, "E-p1", 0.9, "merge")
                             for r in [p9["record_id"]] + [x["record_id"] for x in store.records("person") if x["ref"] == "p1"]],
                            ["E-p9"])
    m = store.memberships(["person"])
    assert {v[0] for v in m.values()} == {"E-p1"}
    assert store.entity("E-p9") is None


def test_records_by_blocking_key_and_unresolved(store):
    store.write_reports([bundle("INT-9", people=("p1", "p2"))])
    assert [r["ref"] for r in store.records_by_keys("person", ["nn:person|p2"])] == ["p2"]
    assert len(store.records("person", unresolved_only=True)) == 2


def test_window_reads_give_the_records_and_links_of_the_reports_dated_in_it(store):
    a, b = _resolve_two_reports(store)  # both dated 2026-10-01
    old = store.write_reports([bundle("INT-OLD", people=("p5",), reported=date(2026, 1, 5))])[0]
    assert store.unresolved_count() == 2  # p5 and the old report's phone
    rows = store.mentions_between(date(2026, 9, 1), date(2026, 10, 31))
    got = {(r["report_id"], r["record_type"], r["role"], r["entity_id"]) for r in rows}
    assert got == {(a.report_id, "person", "suspect", "E-p1"), (a.report_id, "phone", "contact", "E-ph"),
                   (b.report_id, "person", "suspect", "E-p9"), (b.report_id, "phone", "contact", "E-ph")}
    person = next(r for r in rows if r["record_type"] == "person")
    assert json.loads(person["attrs"])["tokens"][0] == "person"
    old_rows = store.mentions_between(date(2026, 1, 1), date(2026, 1, 31))
    assert {(r["report_id"], r["entity_id"]) for r in old_rows} == {(old.report_id, None)}
    links = store.record_links_between(date(2026, 9, 1), date(2026, 10, 31))
    assert sorted(l["report_id"] for l in links) == sorted([a.report_id, b.report_id])
    assert {l["link_type"] for l in links} == {"USES_PHONE"}
    assert store.record_links_between(date(2026, 11, 1), date(2026, 12, 31)) == []
    summaries = store.report_summaries()
    assert [r["report_id"] for r in summaries] == [old.report_id] + sorted([a.report_id, b.report_id])
    assert "raw" not in summaries[0] and "narrative" not in summaries[0]
    assert summaries[0]["reported_at"] == date(2026, 1, 5) and summaries[0]["grading_source"] == "2"


def test_judgements_are_stored_and_undone_not_deleted(store):
    j = Judgement("J1", "r-a", "r-b", "not-same", "analyst1", "different DOB", datetime(2026, 11, 1, 10))
    store.add_judgement(j)
    assert [x.judgement_id for x in store.judgements()] == ["J1"]
    store.undo_judgement("J1", "analyst2", datetime(2026, 11, 2, 10))
    assert store.judgements() == []
    kept = store.judgements(include_undone=True)[0]
    assert kept.undone and kept.undone_by == "analyst2"


def test_documents_round_trip(store):
    store.put_docs("scans", {"2026-11-01": {"count": 3}, "2026-11-02": {"count": 4}})
    store.put_docs("scans", {"2026-11-02": {"count": 5}})
    assert store.list_docs("scans") == {"2026-11-01": {"count": 3}, "2026-11-02": {"count": 5}}
    store.delete_docs("scans", ["2026-11-01"])
    assert store.get_doc("scans", "2026-11-01") is None


def test_embedded_store_survives_the_process_that_wrote_it(tmp_path):
    path = tmp_path / "graph"
    code = textwrap.dedent(f"""
        from linkage.store.embedded import EmbeddedStore
        from tests.store.factories import bundle
        s = EmbeddedStore({str(path)!r})
        s.write_reports([bundle("INT-10"), bundle("INT-11")])
        s.close()
    """)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(_repo_root()))
    s = EmbeddedStore(path)
    try:
        assert s.counts()["Report"] == 2
        assert s.write_reports([bundle("INT-10")])[0].status == "unchanged"
    finally:
        s.close()


def test_embedded_store_refuses_a_newer_schema(tmp_path):
    s = EmbeddedStore(tmp_path / "graph")
    s.set_meta("schema_version", "999")
    s.close()
    with pytest.raises(SchemaVersionError, match="newer than this program"):
        EmbeddedStore(tmp_path / "graph")


def _repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


def test_every_record_written_in_several_batches_is_found_by_its_id(store):
    # A write path once left records that a scan returned but a look-up by id could not find
    # (the primary-key index had lost them): resolution then failed on its first membership.
    from datetime import date

    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.generate import generate_world

    world = generate_world(600, seed=3, as_of=date(2026, 3, 31))
    ingest_payloads(store, world.reports, lookup=ForceLookup.shipped(), batch_size=200, workers=0)
    ids = [r["record_id"] for r in store.records()]
    assert len(ids) > 1000
    found = {r["record_id"] for r in store.records_by_id(ids)}
    assert found == set(ids)
