"""Reports as Arrow tables (rows.ReportBatch), what ingest's parsing processes send: the store
writes them as it writes rows, whatever chunks the tables are made of."""

from __future__ import annotations

from linkage.store import rows as R
from linkage.store.embedded import EmbeddedStore

from tests.store.factories import bundle


def _dump(store: EmbeddedStore) -> dict:
    """The stored reports, records (attrs text), links, mentions and report keys, sorted."""
    q = {
        "Report": "MATCH (n:Report) RETURN n.report_id, n.version, n.content_hash, n.raw, "
                  "n.narrative, n.received_at, n.reported_at, n.exploitation_types",
        "Record": "MATCH (n:Record) RETURN n.record_id, n.report_id, n.attrs, n.keys, n.lat, "
                  "n.reported_at",
        "LINK": "MATCH (a:Record)-[l:LINK]->(b:Record) RETURN a.record_id, b.record_id, "
                "l.link_type, l.report_id",
        "MENTIONS": "MATCH (a:Report)-[:MENTIONS]->(b:Record) RETURN a.report_id, b.record_id",
        "ReportKey": "MATCH (k:ReportKey) RETURN k.report_key, k.versions, k.hashes",
    }
    return {k: sorted(tuple(map(str, r.values())) for r in store._query(t)) for k, t in q.items()}


def test_rows_survive_the_trip_through_arrow():
    rows = [R.report_rows(bundle(f"INT-{i}", people=("p1", "p2")[:1 + i % 2],
                                 phone=None if i == 2 else "+447700900123")) for i in range(4)]
    batch = R.ReportBatch.from_rows(rows)
    assert batch.rows() == rows
    assert batch.take([3, 1]).rows() == [rows[3], rows[1]]
    assert batch.slice(1, 3).rows() == rows[1:3]
    assert R.ReportBatch.concat([batch.slice(0, 1), batch.take([]), batch.slice(1, 4)]).rows() == rows


def test_a_batch_of_many_chunks_writes_what_rows_write(tmp_path):
    """Chunked tables, an empty chunk among them (LadybugDB 0.22 stops reading a table at an
    empty chunk), stored reports, a new version and a duplicate in one batch."""
    first = [bundle("INT-1"), bundle("INT-2", narrative="first account")]
    then = [bundle("INT-1"), bundle("INT-2", narrative="second account"), bundle("INT-3"),
            bundle("INT-3"), bundle("INT-4", people=("p1", "p2", "p3")), bundle("INT-5", phone=None)]
    stores = [EmbeddedStore(tmp_path / "rows"), EmbeddedStore(tmp_path / "batch")]
    try:
        by_rows, by_batch = stores
        by_rows.write_report_rows([R.report_rows(b) for b in first])
        expected = by_rows.write_report_rows([R.report_rows(b) for b in then])
        by_batch.write_report_batch(R.ReportBatch.from_rows([R.report_rows(b) for b in first]))
        parts = [R.ReportBatch.from_rows([R.report_rows(b)]) for b in then]
        chunked = R.ReportBatch.concat([parts[0], parts[0].slice(0, 0), *parts[1:]])
        got = by_batch.write_report_batch(chunked)
        assert [o.status for o in got] == ["unchanged", "new_version", "accepted", "unchanged",
                                           "accepted", "accepted"]
        assert got == expected
        assert _dump(by_batch) == _dump(by_rows)
        assert by_batch.counts()["Report"] == 6
        # all new: the tables go to COPY as they are
        fresh = [R.ReportBatch.from_rows([R.report_rows(bundle(f"NEW-{i}"))]) for i in range(3)]
        got = by_batch.write_report_batch(R.ReportBatch.concat(
            [fresh[0], fresh[1].slice(0, 0), fresh[1], fresh[2]]))
        assert [o.status for o in got] == ["accepted"] * 3
        counts = by_batch.counts()
        assert (counts["Report"], counts["Record"], counts["LINK"]) == (9, 13 + 3 * 2, 5 + 3)
    finally:
        for s in stores:
            s.close()


def test_a_batch_from_bundles_is_the_batch_from_their_rows():
    bundles = [bundle(f"INT-{i}", narrative="déjà vu — naïve", people=("p1", "p2")[:1 + i % 2],
                      phone=None if i == 2 else "+447700900123") for i in range(4)]
    bundles[1].records[0].attrs = {"names": [{"raw": "Zoë Ł", "n": 1.5}], "dob": None}
    bundles[1].records[0].lat = 52.5
    by_rows = R.ReportBatch.from_rows([R.report_rows(b) for b in bundles])
    by_bundles = R.ReportBatch.from_bundles(bundles)
    for name in ("reports", "records", "links"):
        assert getattr(by_bundles, name).equals(getattr(by_rows, name)), name
    assert (by_bundles.record_counts, by_bundles.link_counts) == (by_rows.record_counts,
                                                                  by_rows.link_counts)
    assert by_bundles.rows() == [R.report_rows(b) for b in bundles]
