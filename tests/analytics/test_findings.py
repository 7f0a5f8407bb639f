"""What analysts rely on, on a generated world whose planted facts are known: linked venues,
cross-border networks, hubs that do not glue groups, flags, paths with evidence."""

from __future__ import annotations

from datetime import date

import pytest

from linkage.analytics.flags import compute_flags, match_orders
from linkage.analytics.network import network, paths
from linkage.analytics.networks import find_networks, network_of
from linkage.analytics.projection import projection
from linkage.analytics.venues import linked_venues, sites
from linkage.errors import LimitExceeded, NotFound, UserError
from linkage.model import rocu_region

from tests.analytics.conftest import AS_OF


def _flagged(aw, flag: str) -> set[str]:
    return {e["entity_id"] for e in aw.store.all_entities() if flag in (e.get("flags") or [])}


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


# -- linked venues --------------------------------------------------------------------------

def test_planted_linked_venues_are_found_with_the_connecting_entity_named(aw):
    rows = linked_venues(aw.store, limit=100_000)
    proj = projection(aw.store)
    site_of = sites(proj)
    linked: dict[frozenset, dict[frozenset, set[str]]] = {}
    for r in rows:
        s = frozenset(r["site"])
        linked[s] = {frozenset(x["site"]): {v["entity_id"] for v in x["via"]} for x in r["linked"]}
    planted = aw.planted["linked_venues"]
    assert planted, "the generator planted no linked venues"
    found = named = 0
    for a, b, connector in planted:
        ea, eb = aw.entity_of.get(a), aw.entity_of.get(b)
        assert ea in site_of and eb in site_of, f"planted venues {a}, {b} are not venues"
        sa, sb = site_of[ea], site_of[eb]
        if sa == sb:  # a business and the address it operates at: one site, nothing to link
            found += 1
            named += 1
            continue
        via = linked.get(sa, {}).get(sb)
        if via is not None:
            found += 1
            named += bool(aw.entities_of.get(connector, set()) & via)
    assert _share(found, len(planted)) >= 0.95, (found, len(planted))
    assert _share(named, len(planted)) >= 0.85, (named, len(planted))


def test_linked_venues_are_ranked_by_score_and_filtered(aw):
    rows = linked_venues(aw.store, linked_only=True)
    assert rows and all(r["linked"] for r in rows)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    for r in rows[:20]:
        assert r["score"] == pytest.approx(sum(x["score"] for x in r["linked"]), abs=0.01)
        for x in r["linked"]:
            assert x["via"] and x["report_ids"]
            assert all(v["entity_type"] in ("person", "phone", "vehicle", "account", "email") for v in x["via"])
    some_type = next(t for r in rows for t in r["venue_types"])
    typed = linked_venues(aw.store, types=[some_type])
    assert typed and all(some_type in r["venue_types"] for r in typed)
    force = next(f for r in rows for f in r["forces"])
    assert all(force in r["forces"] for r in linked_venues(aw.store, force=force))
    with pytest.raises(UserError):
        linked_venues(aw.store, types=["casino"])
    with pytest.raises(LimitExceeded):
        linked_venues(aw.store, max_hops=4)


# -- networks -------------------------------------------------------------------------------

def _network_of_group(aw, ocg: dict) -> dict | None:
    """The network holding most of a planted group's exploiters (wrongly merged people left out:
    the resolution's errors are not the network detection's)."""
    votes: dict[str, int] = {}
    nets = {}
    for e in ocg["exploiters"]:
        eid = aw.entity_of.get(e)
        if eid is None or not aw.pure(eid):
            continue
        net = network_of(aw.store, eid)
        if net is not None:
            votes[net["network_id"]] = votes.get(net["network_id"], 0) + 1
            nets[net["network_id"]] = net
    if not votes:
        return None
    return nets[max(sorted(votes), key=votes.get)]


def test_planted_cross_border_networks_are_found_with_their_forces(aw):
    cross = [o for o in aw.planted["ocgs"] if o["cross_border"]]
    assert cross, "the generator planted no cross-border group"
    found = {n["network_id"]: n for n in find_networks(aw.store, cross_border=True)}
    for ocg in cross:
        net = _network_of_group(aw, ocg)
        assert net is not None, ocg["id"]
        assert net["network_id"] in found, ocg["id"]
        assert set(ocg["forces"]) <= set(net["forces"]), (ocg["id"], ocg["forces"], net["forces"])
        assert net["rocu_regions"] == sorted({rocu_region(f) for f in net["forces"]})
        exploiters = {aw.entity_of[e] for e in ocg["exploiters"] if aw.pure(aw.entity_of[e])}
        suspects = {s["entity_id"] for s in net["suspects"]}
        assert len(exploiters & suspects) >= 0.75 * len(exploiters), ocg["id"]
        venues = {aw.entity_of[v] for v in ocg["venues"] if v in aw.entity_of}
        assert len(venues & set(net["member_ids"])) >= 0.75 * len(venues), ocg["id"]
        assert set(ocg["exploitation_types"]) & set(net["exploitation_types"])
        assert net["first_seen"] <= net["last_seen"] <= AS_OF
        assert net["victims"] and net["venues"] and net["score"] > 0


def test_benign_hubs_do_not_glue_groups_together(aw):
    group_of = {}
    for o in aw.planted["ocgs"]:
        for e in o["exploiters"]:
            eid = aw.entity_of.get(e)
            if eid is not None and aw.pure(eid):
                group_of[eid] = o["id"]
    hubs = {aw.entity_of[h["true_entity"]] for h in aw.planted["benign_hubs"] if h["true_entity"] in aw.entity_of}
    assert hubs
    proj = projection(aw.store)
    assert hubs <= proj.hubs
    for n in find_networks(aw.store, min_size=2):
        groups = {group_of[m] for m in n["member_ids"] if m in group_of}
        assert len(groups) <= 1, (n["network_id"], groups)
        assert not hubs & set(n["member_ids"])
    for h in hubs:
        assert network_of(aw.store, h) is None


def test_networks_are_stable_and_filterable(aw):
    first = find_networks(aw.store)
    again = find_networks(aw.store)
    assert [n["network_id"] for n in first] == [n["network_id"] for n in again]
    assert len({n["network_id"] for n in first}) == len(first)
    assert all(n["size"] >= 3 for n in first)
    scores = [n["score"] for n in first]
    assert scores == sorted(scores, reverse=True)
    force = first[0]["forces"][0]
    assert all(force in n["forces"] + n["other_forces"] for n in find_networks(aw.store, force=force))
    assert all(len(n["forces"]) >= 2 for n in find_networks(aw.store, cross_border=True))
    big = find_networks(aw.store, min_size=10)
    assert all(n["size"] >= 10 for n in big)
    member = first[0]["member_ids"][0]
    assert network_of(aw.store, member)["network_id"] == first[0]["network_id"]
    with pytest.raises(UserError):
        find_networks(aw.store, force="atlantis")


# -- flags ----------------------------------------------------------------------------------

def test_section45_victims_who_are_also_suspects_are_flagged(aw):
    flagged = _flagged(aw, "section45")
    # a planted person whose victim and suspect records the resolution put in one entity
    joined = []
    for p in aw.planted["section45"]:
        for e in aw.store.entities(aw.entities_of.get(p, ())):
            if "victim" in e["roles"] and {"suspect", "exploiter"} & set(e["roles"]):
                joined.append(e["entity_id"])
    assert joined, "the resolution kept no planted section 45 case in one entity"
    assert set(joined) <= flagged
    # and nobody else: every flagged person is a victim somewhere and a suspect elsewhere
    for e in aw.store.entities(flagged):
        assert "victim" in e["roles"] and {"suspect", "exploiter"} & set(e["roles"])


def test_child_victims_are_flagged(aw):
    planted = {aw.entity_of[p] for p in aw.planted["child_victims"] if p in aw.entity_of}
    flagged = _flagged(aw, "child")
    assert _share(len(planted & flagged), len(planted)) >= 0.95
    assert all(e["entity_type"] == "person" for e in aw.store.entities(flagged))


def test_people_under_an_order_are_flagged_once_the_orders_are_loaded(aw):
    planted = {aw.entity_of[p] for p in aw.planted["under_order"]}
    assert planted
    assert planted <= _flagged(aw, "under_order")
    matches = match_orders(aw.store, aw.settings, today=AS_OF)
    assert set(matches) == {o["order_ref"] for o in aw.world.orders}
    # an order that has expired raises nothing
    assert match_orders(aw.store, aw.settings, today=date(2040, 1, 1)) == {}


def test_relocated_victims_are_flagged(aw):
    planted = {aw.entity_of[r["true_entity"]] for r in aw.planted["relocated_victims"]
               if r["true_entity"] in aw.entity_of}
    assert planted
    flagged = _flagged(aw, "relocated")
    assert _share(len(planted & flagged), len(planted)) >= 0.7, (len(planted & flagged), len(planted))
    assert all("victim" in e["roles"] for e in aw.store.entities(flagged))


def test_refreshing_flags_twice_changes_nothing(aw):
    from linkage.analytics.flags import refresh_flags

    out = refresh_flags(aw.store, aw.settings, today=AS_OF)
    assert out["entities_changed"] == 0
    assert compute_flags(aw.store, aw.settings, today=AS_OF) == {
        e["entity_id"]: sorted(e["flags"]) for e in aw.store.all_entities() if e.get("flags")}


# -- linked entities and paths --------------------------------------------------------------

def test_network_gives_links_with_evidence_and_respects_its_filters(aw):
    ocg = aw.planted["ocgs"][0]
    lead = aw.entity_of[ocg["exploiters"][0]]
    sub = network(aw.store, lead, hops=2)
    ids = {n["entity_id"] for n in sub["nodes"]}
    assert lead in ids and len(ids) > 3
    assert {n["hops"] for n in sub["nodes"]} <= {0, 1, 2}
    for l in sub["links"]:
        assert l["src"] in ids and l["dst"] in ids
        assert l["count"] >= 1 and l["report_ids"]
        if l["handling"] == "C":
            assert l["conditions"]
    one = network(aw.store, lead, hops=1)
    assert {n["entity_id"] for n in one["nodes"]} < ids
    graded = network(aw.store, lead, hops=2, min_grading="2B")
    assert all(l["best_grading"] for l in graded["links"])
    recent = network(aw.store, lead, hops=2, since=date(2025, 1, 1))
    assert all(l["last_seen"] >= date(2025, 1, 1) for l in recent["links"])
    people = network(aw.store, lead, hops=2, types=["person"])
    assert {n["entity_type"] for n in people["nodes"]} == {"person"}
    small = network(aw.store, lead, hops=2, max_nodes=3)
    assert small["truncated"] and len(small["nodes"]) == 3
    with pytest.raises(LimitExceeded):
        network(aw.store, lead, hops=5)
    with pytest.raises(NotFound):
        network(aw.store, "no-such-entity")


def test_a_path_between_two_venues_of_one_group_carries_evidence_on_every_hop(aw):
    ocg = next(o for o in aw.planted["ocgs"] if len(o["venues"]) >= 2)
    proj = projection(aw.store)
    site_of = sites(proj)
    venues = [aw.entity_of[v] for v in ocg["venues"] if v.startswith("L")]
    a, b = next((x, y) for x in venues for y in venues if site_of[x] != site_of[y])
    found = paths(aw.store, a, b, max_hops=4)
    assert found
    best = found[0]
    assert best["nodes"][0]["entity_id"] == a and best["nodes"][-1]["entity_id"] == b
    assert len(best["hops"]) == best["length"] <= 4
    assert [len(p["hops"]) for p in found] == sorted(len(p["hops"]) for p in found)
    for hop in best["hops"]:
        assert hop["links"] and hop["reports"]
        assert {r["report_id"] for r in hop["reports"]} == {r for l in hop["links"] for r in l["report_ids"]}
        for r in hop["reports"]:
            assert r["kind"] and r["source_ref"]
    for node in best["nodes"][1:-1]:
        assert node["entity_id"] not in proj.hubs


def test_the_cached_graph_follows_a_flags_refresh(aw):
    from linkage.analytics.flags import refresh_flags
    from linkage.analytics.projection import invalidate

    proj = projection(aw.store)
    victim = next(eid for eid, e in proj.entities.items() if "child" in (e.get("flags") or []))
    before = list(proj.entities[victim]["flags"])
    aw.store.update_entity_flags({victim: before + ["checked-by-test"]})
    invalidate(aw.store)
    assert "checked-by-test" in projection(aw.store).entities[victim]["flags"]
    refresh_flags(aw.store, aw.settings, today=AS_OF)  # keeps flags other code set
    assert projection(aw.store).entities[victim]["flags"] == sorted(before + ["checked-by-test"])
    aw.store.update_entity_flags({victim: before})
    invalidate(aw.store)
    assert projection(aw.store) is not proj
    assert projection(aw.store).entities[victim]["flags"] == before
