"""Sending a report twice changes nothing; the same report with other content is a new version,
and both versions are kept."""

from __future__ import annotations

from datetime import datetime, timezone

from ingest.run import ingest_files
from tests.ingest import payloads as P
from tests.ingest.conftest import RECEIVED, write_jsonl


def test_reingesting_the_same_file_changes_nothing_and_says_so(store, lookup, tmp_path):
    src = write_jsonl(tmp_path / "day1.jsonl", [P.nrm(), P.dtn(), P.intel(), P.referral()])
    first = ingest_files(store, [src], lookup=lookup, received_at=RECEIVED)
    assert first.statuses["accepted"] == 4
    before = store.counts()
    later = datetime(2026, 4, 1, tzinfo=timezone.utc)  # received again later: same content
    again = ingest_files(store, [src], lookup=lookup, received_at=later)
    assert [r.status for r in again.results] == ["unchanged"] * 4
    assert [r.report_id for r in again.results] == [r.report_id for r in first.results]
    assert store.counts() == before
    assert again.rejects_path is None and sum(again.records.values()) == 0


def test_changed_content_is_a_new_version_and_both_versions_are_kept(ingest, store):
    v1 = P.intel()
    v2 = P.intel()
    v2["subjects"][0]["dob"] = "1985-05-12"
    first = ingest(v1).results[0]
    second = ingest(v2).results[0]
    assert (first.status, second.status) == ("accepted", "new_version")
    assert first.report_id.endswith("-v1") and second.report_id.endswith("-v2")
    versions = store.reports_by_source_ref("INT-1001")
    assert sorted(r["version"] for r in versions) == [1, 2]
    # the new version's records carry the new version's ids
    recs = [r for r in store.records("person") if r["report_id"] == second.report_id]
    assert recs and all(r["record_id"].startswith(second.report_id + "/") for r in recs)
    assert ingest(v2).results[0].status == "unchanged"


def test_the_same_reference_from_two_organisations_is_two_reports(ingest):
    a = P.referral()
    b = P.referral()
    b["partner"]["organisation"] = "Unseen UK"
    res = ingest(a, b)
    assert [r.status for r in res.results] == ["accepted", "accepted"]
    assert res.results[0].report_id != res.results[1].report_id


def test_a_batch_smaller_than_the_input_still_ingests_everything(ingest, store):
    payloads = []
    for i in range(7):
        p = P.intel()
        p["source_ref"] = f"INT-{i}"
        payloads.append(p)
    seen = []
    res = ingest(*payloads, batch_size=3, on_progress=seen.append)
    assert res.statuses["accepted"] == 7 and store.counts()["Report"] == 7
    assert seen[-1] == 7


def test_parsing_in_other_processes_gives_the_same_results(lookup, tmp_path, caplog):
    import logging

    from linkage.store.embedded import EmbeddedStore

    caplog.set_level(logging.INFO, logger="ingest.run")

    payloads = []
    for i, make in enumerate([P.nrm, P.dtn, P.intel, P.referral] * 3):
        p = make()
        p["source_ref"] = f"{p['source_ref']}-{i}"
        payloads.append(p)
    payloads.insert(5, '{"kind": "nrm", "sour')
    src = write_jsonl(tmp_path / "r.jsonl", payloads)
    outcomes = []
    for workers in (0, 2):
        s = EmbeddedStore(tmp_path / f"g{workers}")
        res = ingest_files(s, [src], lookup=lookup, received_at=RECEIVED, workers=workers)
        outcomes.append(([(r.status, r.location, r.report_id, r.field) for r in res.results],
                         dict(res.records), s.counts()))
        s.close()
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0][5][0] == "rejected"
    assert "parsing here" not in caplog.text  # the processes really parsed


def test_chunks_from_parsing_processes_cut_across_batches_store_what_one_process_stores(
        lookup, tmp_path, monkeypatch):
    """Chunks of 5 reports from the parsing processes, batches of 7 for the store, rejects and
    a second version among them: the same results and the same store contents as parsing here."""
    from ingest import run
    from linkage.store.embedded import EmbeddedStore
    from tests.store.test_report_batch import _dump

    monkeypatch.setattr(run, "CHUNK", 5)
    payloads = []
    for i, make in enumerate([P.nrm, P.dtn, P.intel, P.referral] * 6):
        p = make()
        p["source_ref"] = f"{p['source_ref']}-{i}"
        payloads.append(p)
    changed = P.intel()
    changed["source_ref"] = payloads[2]["source_ref"]
    changed["narrative"] = "a second account of the same submission"
    payloads[9:9] = ['{"kind": "nrm", "sour', {"kind": "intel"}, changed]
    src = write_jsonl(tmp_path / "r.jsonl", payloads)
    seen = []
    for workers in (0, 2):
        s = EmbeddedStore(tmp_path / f"g{workers}")
        res = ingest_files(s, [src], lookup=lookup, received_at=RECEIVED, workers=workers,
                           batch_size=7)
        seen.append(([(r.status, r.location, r.report_id, r.field) for r in res.results],
                     dict(res.records), res.links, _dump(s)))
        s.close()
    assert seen[0] == seen[1]
    statuses = [r[0] for r in seen[0][0]]
    assert statuses.count("rejected") == 2 and statuses.count("new_version") == 1
    assert len(seen[0][3]["Report"]) == 25


def test_a_report_the_store_refuses_is_rejected_alone_and_the_batch_goes_in(store, lookup):
    from linkage.model import RecordLink
    from ingest.run import IngestResult, Parsed, _write, parse_item
    from ingest.reader import SourceItem

    parsed = []
    for i, make in enumerate([P.nrm, P.dtn, P.intel, P.referral]):
        p = make()
        parsed.append(parse_item(SourceItem(f"[{i}]", p, p), kind="auto", received_at=RECEIVED,
                                 lookup=lookup))
    bad = parsed[2].bundle
    bad.links.append(RecordLink(bad.records[0].record_id, "no-such-record", "ASSOCIATE_OF",
                                bad.report.report_id))
    result = IngestResult()
    _write(store, parsed, result)
    statuses = {r.location: r.status for r in result.results}
    assert statuses == {"[0]": "accepted", "[1]": "accepted", "[2]": "rejected", "[3]": "accepted"}
    refused = [r for r in result.results if r.status == "rejected"][0]
    assert "store refused" in refused.reason and refused.raw["source_ref"] == "INT-1001"
    assert store.counts()["Report"] == 3
