"""Ingest tests run through the real embedded store in a temporary folder (no fakes)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from linkage.store.embedded import EmbeddedStore

RECEIVED = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "g")
    yield s
    s.close()


@pytest.fixture(scope="session")
def lookup():
    from ingest.geo import ForceLookup

    return ForceLookup.shipped()


@pytest.fixture
def ingest(store, lookup):
    """ingest(payloads...) -> IngestResult, through the store."""
    from ingest.run import ingest_payloads

    def run(*payloads, **kw):
        kw.setdefault("received_at", RECEIVED)
        return ingest_payloads(store, list(payloads), lookup=lookup, **kw)

    return run


class Graph:
    """What one report put in the store: records by ref, links as (src ref, type, dst ref)."""

    def __init__(self, store, report_id: str):
        self.report = store.report(report_id)
        self.records = [r for r in store.records() if r["report_id"] == report_id]
        by_id = {r["record_id"]: r for r in self.records}
        self.by_ref = {(r["record_type"], r["ref"]): r for r in self.records}
        self.links = [l for l in store.record_links() if l["report_id"] == report_id]
        self.triples = {(by_id[l["src"]]["ref"], l["link_type"], by_id[l["dst"]]["ref"])
                        for l in self.links}
        self.by_id = by_id

    def rec(self, record_type: str, ref: str) -> dict:
        return self.by_ref[(record_type, ref)]

    def of_type(self, record_type: str) -> list[dict]:
        return [r for r in self.records if r["record_type"] == record_type]

    def links_of(self, record_id: str) -> list[dict]:
        return [l for l in self.links if record_id in (l["src"], l["dst"])]


@pytest.fixture
def graph(store):
    return lambda report_id: Graph(store, report_id)


def write_jsonl(path: Path, payloads) -> Path:
    path.write_text("".join((p if isinstance(p, str) else json.dumps(p, ensure_ascii=False)) + "\n"
                            for p in payloads), encoding="utf-8")
    return path
