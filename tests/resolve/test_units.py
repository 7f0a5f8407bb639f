"""Pure parts of resolution: stable ids, constrained clustering, explanations that add up."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from linkage.resolve.clustering import ConstrainedClusters
from linkage.resolve.comparisons import dob_level, name_level, person_cannot_link
from linkage.resolve.config import PERSON_PRIORS
from linkage.resolve.features import person_features
from linkage.resolve.ids import assign_ids
from linkage.resolve.scoring import ScoreModel, Scorer, probability
from linkage.resolve.types import SPECS


def person(rid, tokens, dob=None, estimated=False, docs=()):
    cands = [dob] if dob else []
    years = [int(dob[:4])] if dob else []
    return person_features({
        "record_id": rid,
        "attrs": {"names": [{"tokens": list(tokens), "folded": " ".join(tokens), "family": tokens[0]}],
                  "dob": {"candidates": cands, "year_min": min(years) if years else None,
                          "year_max": max(years) if years else None, "estimated": estimated} if dob else None,
                  "documents": [{"type": "passport", "number": n, "country": "VNM"} for n in docs]},
        "keys": []})


def test_entity_keeps_its_id_when_a_record_joins():
    first = assign_ids("person", [["r1", "r2"], ["r3"]], {})
    second = assign_ids("person", [["r1", "r2", "r4"], ["r3"]], {"r1": first[0], "r2": first[0], "r3": first[1]})
    assert second == first


def test_split_leaves_the_old_id_with_the_larger_part():
    old = assign_ids("person", [["r1", "r2", "r3"]], {})[0]
    prev = {"r1": old, "r2": old, "r3": old}
    ids = assign_ids("person", [["r3"], ["r1", "r2"]], prev)
    assert ids[1] == old and ids[0] != old


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=30))
def test_clusters_never_hold_a_cannot_link_pair(edges):
    # records 0 and 1 can never be together, however the edges chain
    cl = ConstrainedClusters(10, [True] * 10, lambda i, j: "x" if {i, j} == {0, 1} else None)
    for a, b in edges:
        cl.union(a, b)
    assert cl.find(0) != cl.find(1)
    assert sorted(x for g in cl.groups() for x in g) == list(range(10))


def test_a_not_same_judgement_blocks_chaining_through_a_third_record():
    cl = ConstrainedClusters(3, [False] * 3, lambda i, j: None, not_same=[(0, 2)])
    assert cl.union(0, 1)
    assert not cl.union(1, 2)
    assert cl.find(0) != cl.find(2)


def test_name_levels_are_order_and_initial_insensitive():
    a = person("a", ("an", "nguyen", "van"))
    b = person("b", ("an", "nguyen", "van"))
    c = person("c", ("a", "nguyen", "v"))
    d = person("d", ("anh", "nguyen", "van"))
    assert name_level(a, b) == "exact"
    assert name_level(a, c) == "initials"
    assert name_level(a, d) == "close"


def test_dob_levels():
    assert dob_level(person("a", ("x",), "1990-04-03"), person("b", ("x",), "1990-04-03")) == "exact"
    assert dob_level(person("a", ("x",), "1990-04-03"), person("b", ("x",), "1990-03-04")) == "swapped"
    assert dob_level(person("a", ("x",), "1990-04-03"), person("b", ("x",), "1990-04")) == "year_month"
    assert dob_level(person("a", ("x",), "1990-04-03"), person("b", ("x",), "1985-04-03")) == "conflict"
    # two full dates in the same month that disagree are two people, not a near miss
    assert dob_level(person("a", ("x",), "1990-04-03"), person("b", ("x",), "1990-04-17")) == "conflict"


def test_full_dates_of_birth_that_disagree_can_never_link():
    a, b = person("a", ("an", "nguyen", "van"), "1990-04-03"), person("b", ("an", "nguyen", "van"), "1990-04-17")
    assert person_cannot_link(a, b) == "conflicting dates of birth"
    assert person_cannot_link(a, person("c", ("an", "nguyen", "van"), "1990-03-04")) is None  # day/month swapped


def test_an_age_far_from_a_date_of_birth_can_never_link():
    born = person("a", ("ion", "popescu"), "1990-04-03")
    near = person("b", ("ion", "popescu"), "1993", estimated=True)
    far = person("c", ("ion", "popescu"), "1999", estimated=True)
    assert person_cannot_link(born, near) is None
    assert person_cannot_link(born, far) == "date of birth and stated age too far apart"


def test_a_shared_nickname_is_weaker_than_a_shared_name():
    model = ScoreModel("person", {c: dict(v) for c, v in PERSON_PRIORS.items()}, 0.02)
    scorer = Scorer(model, SPECS["person"].comparisons)
    zef1, zef2 = person("a", ("zef",)), person("b", ("zef",))
    driver1, driver2 = person("c", ("driver", "the")), person("d", ("driver", "the"))
    full1, full2 = person("e", ("kola", "luan")), person("f", ("kola", "luan"))
    assert name_level(zef1, zef2) == "alias"
    assert name_level(driver1, driver2) == "alias"
    assert name_level(full1, full2) == "exact"
    assert scorer.score(zef1, zef2) < scorer.score(full1, full2) - 5


def test_explanation_adds_up_to_the_score():
    model = ScoreModel("person", {c: dict(v) for c, v in PERSON_PRIORS.items()}, 0.02,
                       tf={"an nguyen van": 0.01}, tf_comparison="name")
    scorer = Scorer(model, SPECS["person"].comparisons, SPECS["person"].tf_key)
    a, b = person("a", ("an", "nguyen", "van"), "1990-04-03"), person("b", ("an", "nguyen", "van"), "1990-04-03")
    exp = scorer.explain(a, b)
    assert abs(sum(w for _, _, w, _ in exp.levels) + exp.prior_weight - exp.total) < 1e-9
    assert abs(exp.total - scorer.score(a, b)) < 1e-9
    assert exp.probability == probability(exp.total)


def test_common_name_counts_for_less_than_a_rare_one():
    model = ScoreModel("person", {c: dict(v) for c, v in PERSON_PRIORS.items()}, 0.02,
                       tf={"an nguyen van": 0.01, "gezim hoxha": 0.00002}, tf_comparison="name")
    scorer = Scorer(model, SPECS["person"].comparisons, SPECS["person"].tf_key)
    common = scorer.score(person("a", ("an", "nguyen", "van")), person("b", ("an", "nguyen", "van")))
    rare = scorer.score(person("a", ("gezim", "hoxha")), person("b", ("gezim", "hoxha")))
    assert rare > common


# -- units, blocking and whole-array comparison --------------------------------------------

def business(rid, name, postcode=None, company=None):
    from linkage.resolve.features import business_features

    return business_features({"record_id": rid, "value": name, "keys": [],
                              "attrs": {"name": {"canonical": name, "fingerprint": name.replace(" ", "")},
                                        "postcode": postcode, "company_number": company}})


def test_same_named_businesses_in_different_towns_never_link_unless_one_company():
    from linkage.resolve.comparisons import business_cannot_link

    manchester, croydon = business("a", "eagle fish bar", "M11 9LU"), business("b", "eagle fish bar", "CR0 9HL")
    assert business_cannot_link(manchester, croydon) == "different postcodes and no shared company number"
    assert business_cannot_link(manchester, business("c", "eagle fish bar")) is None  # no postcode: may link
    chain_a = business("d", "blossom car wash", "M33 7RX", "01645125")
    chain_b = business("e", "blossom car wash", "N17 6BW", "01645125")
    assert business_cannot_link(chain_a, chain_b) is None


def test_records_certainly_one_person_form_one_unit_with_every_name():
    from linkage.resolve.units import group, merge_person, person_unit_key

    a = person("a", ("kola", "luan"), "1995-06-17")
    b = person("b", ("kola", "luan"), "1995-06-17")
    b.names.append(("zef",))
    b.folded.append("zef")
    no_dob = person("c", ("kola", "luan"))
    other_day = person("d", ("kola", "luan"), "1995-06-18")
    units = group([a, b, no_dob, other_day], person_unit_key, merge_person)
    assert units.members == [[0, 1], [2], [3]]
    assert units.feats[0].names == [("kola", "luan"), ("zef",)]
    # an analyst's "not same" keeps a record on its own, and an incremental run never groups
    # records held in two different entities
    assert group([a, b], person_unit_key, merge_person, alone={1}).members == [[0], [1]]
    assert group([a, b], person_unit_key, merge_person, previous_of=["P-1", "P-2"]).members == [[0], [1]]


def test_single_token_keys_only_pair_records_named_by_one_token():
    from linkage.resolve.blocking import candidate_pairs

    feats = [person("a", ("nguyen", "van")), person("b", ("nguyen", "thi")), person("c", ("nguyen",))]
    keys = {0: ["n1:NGAYAN", "nn:nguyen|van"], 1: ["n1:NGAYAN", "nn:nguyen|thi"], 2: ["n1:NGAYAN"]}
    pairs, _ = candidate_pairs(list(range(3)), lambda i: keys[i], 60, None, None, ("n1:",),
                               [False, False, True])
    assert pairs.tolist() == [[0, 2], [1, 2]]
    assert feats[2].names == [("nguyen",)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([("an", "nguyen", "van"), ("a", "nguyen", "v"), ("anh", "nguyen", "van"),
                                           ("zef",), ("kola", "luan")]),
                          st.sampled_from([None, "1990-04-03", "1990-03-04", "1990", "1985-01-01"]),
                          st.sampled_from([frozenset(), frozenset({"+447700900123"}),
                                           frozenset({"+447700900123", "+447700900456"}),
                                           frozenset({"+447700900456"})])),
                min_size=2, max_size=12))
def test_array_comparison_gives_the_levels_of_each_pair(rows):
    import numpy as np

    from linkage.resolve.compare import compare_all

    spec = SPECS["person"]
    feats = []
    for k, (toks, dob, phone) in enumerate(rows):
        f = person(str(k), toks, dob, estimated=dob == "1990")
        f.phones = phone
        feats.append(f)
    pairs = [(i, j) for i in range(len(feats)) for j in range(i + 1, len(feats))]
    left = np.array([p[0] for p in pairs], dtype=np.int64)
    right = np.array([p[1] for p in pairs], dtype=np.int64)
    cmp = compare_all(spec, feats, left, right)
    for n, (i, j) in enumerate(pairs):
        assert cmp.levels(cmp.codes[n]) == tuple(fn(feats[i], feats[j]) for fn in spec.comparisons.values())
    # and the weights computed over the arrays are the scorer's, term frequencies included
    from linkage.resolve.compare import pair_weights

    model = ScoreModel("person", {c: dict(v) for c, v in PERSON_PRIORS.items()}, 0.02,
                       tf={"an nguyen van": 0.01, "kola luan": 0.0001}, tf_comparison="name")
    scorer = Scorer(model, spec.comparisons, spec.tf_key)
    weights = pair_weights(spec, model, feats, cmp, left, right)
    for n, (i, j) in enumerate(pairs):
        assert abs(weights[n] - scorer.score(feats[i], feats[j])) < 1e-9
