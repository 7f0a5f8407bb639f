"""Saved networks: a process that starts cold reuses the networks found before while the entity
graph is unchanged, and finds them again after anything that changes it (a resolution of new
reports, a flags refresh) - through the real embedded store."""

from __future__ import annotations

from datetime import date

from linkage.analytics.flags import refresh_flags
from linkage.analytics.networks import SAVED, SAVED_DOC, find_networks, load_saved
from linkage.analytics.projection import cached_projection, invalidate
from linkage.resolve.pipeline import resolve
from linkage.settings import Settings
from linkage.store.embedded import EmbeddedStore
from tests.scan.builders import Place, Spec, bundle


def _members(nets) -> set[frozenset[str]]:
    return {frozenset(n["member_ids"]) for n in nets}


def _write(store, specs) -> None:
    store.write_reports([bundle(s) for s in specs])
    resolve(store)


def test_saved_networks_are_reused_until_the_entity_graph_changes(tmp_path):
    store = EmbeddedStore(tmp_path / "graph")
    settings = Settings(store=tmp_path / "graph")
    _write(store, [Spec(f"INT/CW/{i}", date(2025, 3, 1 + i), [Place("car wash")],
                        people=[("Anna Nowak", "victim"), ("Marek Kowal", "suspect")],
                        phones=["+447700900111"]) for i in range(3)])
    refresh_flags(store, settings, today=date(2025, 3, 20))
    first = find_networks(store, min_size=2)
    assert first, "the car wash, its victim, suspect and phone make a network"
    version = store.graph_version()
    assert version and store.get_doc(SAVED, SAVED_DOC)["graph_version"] == version

    # a cold process (no projection held): the saved networks, the same, without projecting
    invalidate()
    again = find_networks(store, min_size=2)
    assert again == first
    assert cached_projection(store) is None
    assert [n["network_id"] for n in again] == [n["network_id"] for n in first]
    assert isinstance(again[0]["last_seen"], date)
    assert load_saved(store) is load_saved(store)  # read once per process and version

    # a read-only snapshot of the same store reads them too
    store.close()
    ro = EmbeddedStore(tmp_path / "graph", read_only=True)
    assert find_networks(ro, min_size=2) == first
    ro.close()
    invalidate()
    store = EmbeddedStore(tmp_path / "graph")

    # new reports, resolved: a new version, and the new group is found
    _write(store, [Spec(f"INT/FARM/{i}", date(2025, 3, 10 + i), [Place("farm")],
                        people=[("Ion Popescu", "victim"), ("Viktor Lanza", "exploiter")],
                        phones=["+447700900222"], force="cambridgeshire") for i in range(2)])
    assert store.graph_version() != version
    assert load_saved(store) is None
    invalidate()
    later = find_networks(store, min_size=2)
    assert _members(first) < _members(later)
    assert store.get_doc(SAVED, SAVED_DOC)["graph_version"] == store.graph_version()

    # a flags refresh that changes a flag is a new version too
    version = store.graph_version()
    anna = next(v["entity_id"] for n in later for v in n["victims"] if v["label"] == "Anna Nowak")
    store.update_entity_flags({anna: ["child"]})
    assert store.graph_version() != version
    assert load_saved(store) is None
    invalidate()
    flagged = find_networks(store, min_size=2)
    assert next(n for n in flagged if anna in n["member_ids"])["child_victims"] == 1
    store.close()


def test_linkage_resolve_saves_the_networks_for_the_next_cold_process(tmp_path):
    from typer.testing import CliRunner

    from linkage.cli import app

    store = EmbeddedStore(tmp_path / "graph")
    store.write_reports([bundle(Spec(f"INT/NB/{i}", date(2025, 3, 1 + i), [Place("nail bar")],
                                     people=[("Lan Nguyen", "victim"), ("Duc Tran", "suspect")],
                                     phones=["+447700900333"])) for i in range(3)])
    store.close()
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "graph"), "resolve", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    invalidate()
    store = EmbeddedStore(tmp_path / "graph")
    saved = load_saved(store)
    assert saved and any(n["size"] >= 3 for n in saved)
    assert _members(find_networks(store, min_size=2)) == _members(n for n in saved if n["size"] >= 2)
    assert cached_projection(store) is None  # read from the store, not found again
    store.close()
