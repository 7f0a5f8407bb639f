"""The embedded store keeps LadybugDB 0.22's primary-key index whole (linkage/store/embedded.py,
PK_GROWTH and `_reopen`; benchmarks/ladybug_pk_loss.py shows the two LadybugDB faults at the
sizes where they happen, which are too big for a unit test). Here, with the growth floor lowered,
the same code paths run on a few hundred records."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from linkage.errors import StoreError
from linkage.store import embedded as E
from linkage.store import rows as R
from linkage.store.embedded import EmbeddedStore

from tests.store.factories import bundle


def _by_pk(store: EmbeddedStore, label: str, key: str) -> tuple[int, int]:
    """(rows a scan returns, of those the rows a primary-key look-up finds)."""
    ids = [r["id"] for r in store._query(f"MATCH (n:{label}) RETURN n.{key} AS id")]
    found = store._query(f"UNWIND $ids AS id MATCH (n:{label} {{{key}: id}}) RETURN n.{key} AS id",
                         {"ids": ids})
    return len(ids), len({r["id"] for r in found})


def test_a_write_that_would_more_than_double_a_keyed_table_goes_in_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(E, "PK_FLOOR", 4)
    store = EmbeddedStore(tmp_path / "graph")
    try:
        # into an empty store any size goes in one part (LadybugDB sizes an empty index at once)
        store.write_report_rows([R.report_rows(bundle(f"INT-{i}")) for i in range(10)])
        assert store._h.checkpoints == 1  # the first write learns the table sizes
        outcomes = store.write_report_rows(
            [R.report_rows(bundle(f"INT-{i}", people=("p1", "p2", "p3"))) for i in range(10, 70)])
        assert [o.status for o in outcomes] == ["accepted"] * 60
        # 10 reports were there: at most 8 (PK_GROWTH) more before each checkpoint
        assert store._h.checkpoints >= 5
        assert store.counts()["Report"] == 70
        for label, key in (("Record", "record_id"), ("Report", "report_id"),
                           ("ReportKey", "report_key")):
            scanned, found = _by_pk(store, label, key)
            assert scanned == found > 0
        # what was already there is answered as before
        again = store.write_report_rows([R.report_rows(bundle("INT-3"))])
        assert [o.status for o in again] == ["unchanged"]
    finally:
        store.close()


def test_a_write_inside_a_callers_transaction_is_not_cut(tmp_path, monkeypatch):
    monkeypatch.setattr(E, "PK_FLOOR", 1)
    store = EmbeddedStore(tmp_path / "graph")
    try:
        store.write_report_rows([R.report_rows(bundle("INT-0"))])
        before = store._h.checkpoints
        with store._transaction():
            store.write_report_rows([R.report_rows(bundle(f"INT-{i}")) for i in range(1, 20)])
        assert store._h.checkpoints == before
        assert store.counts()["Report"] == 20
    finally:
        store.close()


def test_a_rolled_back_bulk_write_reopens_the_database_and_later_writes_are_found(tmp_path, caplog):
    store = EmbeddedStore(tmp_path / "graph")
    try:
        store.write_reports([bundle(f"INT-{i}") for i in range(20)])
        bad = bundle("INT-BAD")
        bad.records.append(dataclasses.replace(bad.records[0]))  # the same record id twice
        caplog.set_level(logging.WARNING, logger="linkage.store.embedded")
        with pytest.raises(StoreError):
            store.write_reports([bundle(f"INT-{i}") for i in range(20, 40)] + [bad])
        assert "reopened" in caplog.text
        assert store.counts()["Report"] == 20
        outcomes = store.write_reports([bundle(f"INT-{i}") for i in range(20, 40)])
        assert {o.status for o in outcomes} == {"accepted"}
        for label, key in (("Record", "record_id"), ("Report", "report_id")):
            scanned, found = _by_pk(store, label, key)
            assert scanned == found
        # another handle on the same path sees the same database
        other = EmbeddedStore(tmp_path / "graph")
        assert other.counts()["Report"] == 40
        other.close()
    finally:
        store.close()


def test_bulk_writes_checkpoint_where_needed_and_once_at_the_end(tmp_path, monkeypatch):
    monkeypatch.setattr(E, "PK_FLOOR", 4)
    store = EmbeddedStore(tmp_path / "graph")
    try:
        # into an empty store: one merge at the end, whatever the size
        with store.bulk_writes():
            before = store._h.checkpoints
            for k in range(5):
                store.write_report_rows([R.report_rows(bundle(f"INT-{k}-{i}")) for i in range(12)])
            assert store._h.checkpoints == before
        assert store._h.checkpoints == before + 1
        # into a store that holds rows: growth still bounded while automatic checkpoints are off
        with store.bulk_writes():
            before = store._h.checkpoints
            for k in range(5, 10):
                store.write_report_rows([R.report_rows(bundle(f"INT-{k}-{i}")) for i in range(24)])
            assert store._h.checkpoints >= before + 1
        for label, key in (("Record", "record_id"), ("Report", "report_id")):
            scanned, found = _by_pk(store, label, key)
            assert scanned == found == (360 if label == "Record" else 180)
    finally:
        store.close()
    again = EmbeddedStore(tmp_path / "graph")  # everything is in the database file
    try:
        assert again.counts()["Report"] == 180
    finally:
        again.close()


def test_told_the_size_of_an_ingest_the_store_checkpoints_once_on_the_way(tmp_path, monkeypatch):
    monkeypatch.setattr(E, "PK_FLOOR", 4)
    monkeypatch.setattr(E, "MID_CHECKPOINT_FROM", 50)
    store = EmbeddedStore(tmp_path / "graph")
    try:
        with store.bulk_writes(expected_reports=100):
            start = store._h.checkpoints
            seen = []
            for k in range(10):  # ten writes of ten reports: 60% written after the sixth
                store.write_report_rows([R.report_rows(bundle(f"INT-{k}-{i}")) for i in range(10)])
                seen.append(store._h.checkpoints - start)
        # one on the way, after the sixth write, and none forced after it: the last 40 reports
        # are within PK_GROWTH of the 60 merged, so they wait for the one at the end
        assert seen == [0] * 5 + [1] * 5
        assert store._h.checkpoints - start == 2
        for label, key in (("Record", "record_id"), ("Report", "report_id"),
                           ("ReportKey", "report_key")):
            scanned, found = _by_pk(store, label, key)
            assert scanned == found > 0
        # a small ingest, or one of unknown size, does not
        with store.bulk_writes(expected_reports=40):
            start = store._h.checkpoints
            store.write_report_rows([R.report_rows(bundle(f"INT-S-{i}")) for i in range(40)])
            assert store._h.checkpoints == start
        with store.bulk_writes():
            start = store._h.checkpoints
            for k in range(3):
                store.write_report_rows([R.report_rows(bundle(f"INT-U-{k}-{i}")) for i in range(20)])
            assert store._h.checkpoints == start
    finally:
        store.close()
