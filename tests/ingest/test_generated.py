"""The synthetic world (linkage.generate) goes in whole: nothing rejected, every object the
generator wrote is a record with the ref the truth file names, and sending it again changes
nothing."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from ingest.run import ingest_files

generate = pytest.importorskip("linkage.generate")


def test_a_generated_world_is_ingested_whole_and_matches_the_truth_refs(store, lookup, tmp_path):
    world = generate.generate_world(160, seed=11, as_of=date(2026, 3, 31))
    paths = generate.write_world(world, tmp_path / "data")
    files = [paths[k] for k in ("nrm", "dtn", "intel", "referral")]
    res = ingest_files(store, files, lookup=lookup)
    assert not res.rejected, [(r.location, r.field, r.reason) for r in res.rejected[:3]]
    assert res.statuses["accepted"] == len(world.reports)

    reports = {r["report_id"]: (r["kind"], r["source_ref"]) for r in store.reports(
        [x.report_id for x in res.results])}
    held = {(*reports[r["report_id"]], r["ref"], r["record_type"]) for r in store.records()}
    with paths["truth"].open(encoding="utf-8") as fh:
        truth = {(t["report_kind"], t["source_ref"], t["record_ref"], t["record_type"])
                 for t in csv.DictReader(fh)}
    assert truth - held == set()

    again = ingest_files(store, files, lookup=lookup)
    assert again.statuses["unchanged"] == len(world.reports)


def test_parsed_reports_as_a_batch_are_their_rows(lookup):
    """What a parsing process sends (ReportBatch.from_bundles) holds what `report_rows` gives,
    for every kind of generated report (names with accents, anonymous people, narratives)."""
    from datetime import date

    from ingest.reader import SourceItem
    from ingest.run import parse_item
    from linkage.generate import generate_world
    from linkage.store import rows as R
    from tests.ingest.conftest import RECEIVED

    world = generate_world(300, seed=11, as_of=date(2026, 3, 31))
    bundles = []
    for i, payload in enumerate(world.reports):
        p = parse_item(SourceItem(f"[{i}]", payload, payload), kind="auto", received_at=RECEIVED,
                       lookup=lookup)
        assert p.bundle is not None, p.reason
        bundles.append(p.bundle)
    by_bundles = R.ReportBatch.from_bundles(bundles)
    by_rows = R.ReportBatch.from_rows([R.report_rows(b) for b in bundles])
    for name in ("reports", "records", "links"):
        assert getattr(by_bundles, name).equals(getattr(by_rows, name)), name
    assert by_bundles.rows() == [R.report_rows(b) for b in bundles]
