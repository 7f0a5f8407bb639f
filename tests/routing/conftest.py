"""A real hub: an embedded store in a temporary folder, payloads ingested and resolved, the
audit log beside it. Time is passed in (`T0`) so deadlines and retries are exact."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from linkage.settings import Settings
from linkage.store.embedded import EmbeddedStore

T0 = datetime(2026, 9, 10, 9, 0, tzinfo=timezone.utc)


class Hub:
    def __init__(self, root: Path, delivery_config: Path | None = None):
        self.root = root
        self.settings = Settings(store=root / "graph", delivery_config=delivery_config)
        self.store = EmbeddedStore(self.settings.store)

    def load(self, *payloads: dict) -> list:
        """Ingest the payloads (real ingest, shipped postcode table) and resolve."""
        from ingest.geo import ForceLookup
        from ingest.run import ingest_payloads
        from linkage.resolve.pipeline import resolve

        result = ingest_payloads(self.store, list(payloads), lookup=ForceLookup.shipped())
        bad = [r.to_dict() for r in result.results if r.status == "rejected"]
        assert not bad, bad
        resolve(self.store)
        return result.results

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def hub(tmp_path):
    h = Hub(tmp_path)
    yield h
    h.close()


@pytest.fixture
def make_hub(tmp_path):
    made = []

    def make(delivery_config: Path | None = None) -> Hub:
        h = Hub(tmp_path / f"hub{len(made)}", delivery_config)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()
