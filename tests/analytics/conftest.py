"""One generated world for the analytics tests: generated -> ingested -> resolved -> flags, in an
embedded store, built once per test session (about 1,500 reports), with the truth mapped onto
the entity ids the resolution gave (truth file joined to `export resolution` rows)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from linkage.settings import Settings

AS_OF = date(2025, 6, 30)
REPORTS = 1500
SEED = 11


@dataclass
class AnalyticsWorld:
    store: object
    settings: Settings
    world: object
    path: Path
    entity_of: dict[str, str] = field(default_factory=dict)       # true id -> main entity id
    entities_of: dict[str, set[str]] = field(default_factory=dict)  # true id -> every entity id
    true_of: dict[str, str] = field(default_factory=dict)         # entity id -> main true id
    trues_of: dict[str, set[str]] = field(default_factory=dict)   # entity id -> every true id

    def pure(self, entity_id: str) -> bool:
        """The resolution put only one real-world thing in this entity."""
        return len(self.trues_of.get(entity_id, ())) == 1

    @property
    def planted(self) -> dict:
        return self.world.planted


def map_truth(store, truth: list[dict]) -> tuple[dict, dict, dict, dict]:
    from linkage.resolve.export import resolution_rows

    key = lambda r: (r["report_kind"], r["source_ref"], r["record_ref"], r["record_type"])  # noqa: E731
    entity = {key(r): r["entity_id"] for r in resolution_rows(store)}
    votes: dict[str, Counter] = defaultdict(Counter)
    back: dict[str, Counter] = defaultdict(Counter)
    for t in truth:
        eid = entity.get(key(t))
        if eid:
            votes[t["true_entity"]][eid] += 1
            back[eid][t["true_entity"]] += 1
    main = {tid: c.most_common(1)[0][0] for tid, c in votes.items()}
    every = {tid: set(c) for tid, c in votes.items()}
    true_of = {eid: c.most_common(1)[0][0] for eid, c in back.items()}
    return main, every, true_of, {eid: set(c) for eid, c in back.items()}


@pytest.fixture(scope="session")
def aw(tmp_path_factory) -> AnalyticsWorld:
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.analytics.flags import import_orders, refresh_flags
    from linkage.generate import generate_world
    from linkage.resolve.pipeline import resolve
    from linkage.store.embedded import EmbeddedStore

    base = tmp_path_factory.mktemp("analytics")
    settings = Settings(store=base / "graph", audit_path=base / "audit.sqlite")
    world = generate_world(REPORTS, seed=SEED, as_of=AS_OF)
    store = EmbeddedStore(settings.store)
    ingest_payloads(store, world.reports, lookup=ForceLookup.shipped())
    resolve(store)
    orders = base / "orders.jsonl"
    orders.write_text("".join(json.dumps(o) + "\n" for o in world.orders), encoding="utf-8")
    import_orders(store, orders)
    refresh_flags(store, settings, today=AS_OF)
    main, every, back, trues = map_truth(store, world.truth)
    yield AnalyticsWorld(store, settings, world, base, main, every, back, trues)
    store.close()
