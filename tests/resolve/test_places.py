"""Acting at the same venue is evidence that two mentions of a name are one person.

Exploiters are often named without a date of birth, and the names that recur in this work
("Nguyen Van Hung") are shared by many people; what sets one apart is the nail bar or car wash
they run. Venues and businesses resolve first, and the person comparison "place" asks whether
two mentions are tied to the same venue entity."""

from __future__ import annotations

import pytest

from ingest.geo import ForceLookup
from ingest.run import ingest_payloads
from linkage.resolve.decisions import explain
from linkage.resolve.features import place_context
from linkage.resolve.pipeline import resolve
from linkage.store.embedded import EmbeddedStore


def intel(ref: str, name: str, address: str, postcode: str, business: str, link: str = "OPERATES_AT") -> dict:
    return {
        "kind": "intel", "source_ref": ref, "reported_at": "2026-10-01",
        "submitted_by": {"force": "west-midlands", "unit": "FIB"},
        "grading": {"source": "2", "intelligence": "B", "handling": "P"},
        "subjects": [{"ref": "s1", "full_name": name, "gender": "male", "role": "suspect"}],
        "locations": [{"ref": "loc1", "address": address, "postcode": postcode,
                       "venue_type": "nail_bar", "business_name": business}],
        "links": [{"from": "s1", "type": link, "to": "loc1"}],
    }


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "g")
    yield s
    s.close()


def subject_of(store, source_ref: str) -> str:
    rep = store.reports_by_source_ref(source_ref)[-1]
    return next(r["record_id"] for r in store.records("person") if r["report_id"] == rep["report_id"])


def test_one_name_at_one_venue_is_one_person_and_at_another_venue_is_not(store):
    res = ingest_payloads(store, [
        intel("P1", "Nguyen Van Hung", "Unit 4, 12 High Street, Walsall", "WS1 1AA", "Lucky Nails"),
        intel("P2", "NGUYỄN Văn Hùng", "Unit 4 12 High St Walsall", "ws11aa", "LUCKY NAILS"),
        intel("P3", "Nguyen Van Hung", "3 Kirkgate, Leeds", "LS1 6BY", "Star Nails"),
        intel("P4", "Nguyen Van Hung", "Unit 4, 12 High Street, Walsall", "WS1 1AA", "Lucky Nails",
              link="LIVES_AT"),
        # other people, so that the name is not the only one the model has seen
        intel("Q1", "Gëzim Hoxha", "14 Lichfield Road, Birmingham", "B6 5RQ", "Sparkle Car Wash"),
        intel("Q2", "Ana Popescu", "2 Market Street, Wolverhampton", "WV1 3AE", "Glow Nails"),
    ], lookup=ForceLookup.shipped())
    assert not [r for r in res.results if r.status == "rejected"]
    resolve(store)
    p1, p2, p3 = (subject_of(store, s) for s in ("P1", "P2", "P3"))
    ent = {r: m[0] for r, m in store.memberships(["person"]).items()}
    assert ent[p1] == ent[p2]
    assert ent[p3] != ent[p1]

    out = explain(store, p1, p2)
    levels = {c["comparison"]: c["level"] for c in out["comparisons"]}
    assert levels["place"] == "shared" and out["decision"] == "match"
    total = out["prior_weight"] + sum(c["weight"] for c in out["comparisons"])
    assert abs(total - out["total"]) < 1e-3
    levels = {c["comparison"]: c["level"] for c in explain(store, p1, p3)["comparisons"]}
    assert levels.get("place") is None
    # living at an address is the address comparison's evidence, not a venue the person acts at
    levels = {c["comparison"]: c["level"] for c in explain(store, p1, subject_of(store, "P4"))["comparisons"]}
    assert levels.get("place") is None


def test_place_context_ties_people_to_venue_entities_and_ignores_hubs():
    types = {"p1": "person", "p2": "person", "p3": "person", "p4": "person", "p5": "person",
             "l1": "location", "l2": "location", "b1": "business", "h1": "location", "h2": "location",
             "ph": "phone"}
    entity_of = {"l1": "L-venue", "l2": "L-venue", "b1": "B-shop", "h1": "L-hub", "h2": "L-hub"}
    links = [
        {"src": "p1", "dst": "l1", "link_type": "OPERATES_AT"},
        {"src": "l2", "dst": "p2", "link_type": "EXPLOITED_AT"},  # either direction
        {"src": "p2", "dst": "b1", "link_type": "OWNS"},
        {"src": "p3", "dst": "l1", "link_type": "LIVES_AT"},  # the address comparison's evidence
        {"src": "p3", "dst": "ph", "link_type": "USES_PHONE"},
        {"src": "p1", "dst": "h1", "link_type": "MENTIONED_WITH"},
        {"src": "p3", "dst": "h2", "link_type": "MENTIONED_WITH"},
        {"src": "p4", "dst": "h1", "link_type": "MENTIONED_WITH"},
        {"src": "p5", "dst": "l2", "link_type": "WORKS_AT"},
    ]
    # the venue: three records but two names (p5 is another mention of p1's name); the hub: three
    name_of = {"p1": "hung nguyen van", "p2": "an nguyen van", "p3": "gezim hoxha", "p4": "ana popescu",
               "p5": "hung nguyen van"}
    out = place_context(links, types, entity_of, name_of, max_names=2)
    assert out == {"p1": {"L-venue"}, "p2": {"L-venue", "B-shop"}, "p5": {"L-venue"}}
    assert place_context(links, types, entity_of, name_of, max_names=3)["p4"] == {"L-hub"}


def test_a_model_saved_before_the_place_comparison_is_refitted(store):
    ingest_payloads(store, [
        intel("R1", "Nguyen Van Hung", "Unit 4, 12 High Street, Walsall", "WS1 1AA", "Lucky Nails"),
        intel("R2", "Nguyen Van Hung", "Unit 4 12 High St Walsall", "WS1 1AA", "Lucky Nails"),
    ], lookup=ForceLookup.shipped())
    resolve(store)
    # the model as an earlier version saved it: no "place" comparison
    doc = store.get_doc("resolution_model", "person")
    del doc["params"]["place"]
    store.put_docs("resolution_model", {"person": doc})
    a, b = subject_of(store, "R1"), subject_of(store, "R2")
    levels = {c["comparison"]: c["level"] for c in explain(store, a, b)["comparisons"]}
    assert levels["place"] == "shared"
    resolve(store, full=True)
    assert "place" in store.get_doc("resolution_model", "person")["params"]
