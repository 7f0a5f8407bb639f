"""The person cannot-link rule in arrays answers as the one-pair rule does, and clustering that
uses those answers builds the same entities as clustering that asks the rule pair by pair."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.resolve import comparisons as C
from linkage.resolve.clustering import ConstrainedClusters
from linkage.resolve.features import PersonFeatures
from linkage.resolve.types import SPECS, person_hard_key

# few values of each, so pairs agree, conflict, or sit on an age guess's edge
Y = st.sampled_from([1980, 1984, 1988, 1990, 1991, 1999])
M = st.integers(1, 3)
D = st.sampled_from([1, 2, 13])
GENDER = st.sampled_from([None, "male", "female", "other", "unknown"])
DOC = st.tuples(st.sampled_from(["passport", "id_card"]), st.sampled_from(["111", "222", "333"]),
                st.sampled_from([None, "VNM", "ALB"]))


@st.composite
def person(draw) -> PersonFeatures:
    days = draw(st.frozensets(st.tuples(Y, M, D), max_size=2))
    months = {(y, m) for y, m, _ in days} | draw(st.frozensets(st.tuples(Y, M), max_size=1))
    years = {y for y, _ in months} | draw(st.frozensets(Y, max_size=1))
    estimated = draw(st.booleans())
    if estimated:
        lo = draw(st.one_of(st.none(), Y))
        hi = None if lo is None else lo + draw(st.integers(0, 3))
        days, months, years = frozenset(), frozenset(), frozenset()
    else:
        lo = min(years) if years else None
        hi = max(years) if years else None
    return PersonFeatures(
        record_id="r", names=[("a", "b")], folded=["a b"], family=set(), anonymous=False,
        days=frozenset(days), months=frozenset(months), years=frozenset(years), year_min=lo,
        year_max=hi, estimated=estimated and lo is not None, nationality=None,
        gender=draw(GENDER), documents=draw(st.frozensets(DOC, max_size=2)))


def _level_is(feats, ia, ib):
    def level_is(comparison: str, level: str) -> np.ndarray:
        fn = C.PERSON_COMPARISONS[comparison]
        return np.array([fn(feats[i], feats[j]) == level for i, j in zip(ia, ib)], dtype=bool)
    return level_is


def _pairs(feats, index_pairs):
    pairs = [(i % len(feats), j % len(feats)) for i, j in index_pairs]
    return (np.array([i for i, _ in pairs], dtype=np.int64),
            np.array([j for _, j in pairs], dtype=np.int64))


@settings(max_examples=300, deadline=None)
@given(st.lists(person(), min_size=2, max_size=12),
       st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=40))
def test_cannot_link_in_arrays_equals_the_rule(feats, index_pairs):
    ia, ib = _pairs(feats, index_pairs)
    got = C.person_cannot_link.many(feats, ia, ib, _level_is(feats, ia, ib)).tolist()
    assert got == [C.person_cannot_link(feats[i], feats[j]) is not None for i, j in zip(ia, ib)]


# few records and many pairs, so clusters grow and later pairs join clusters of several members
@settings(max_examples=400, deadline=None)
@given(st.lists(person(), min_size=2, max_size=7),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=60))
def test_clusters_with_answers_in_arrays_equal_clusters_asking_the_rule(feats, index_pairs):
    ia, ib = _pairs(feats, index_pairs)
    spec = SPECS["person"]
    constrained = [spec.constrained(f) for f in feats]
    ids: dict = {}
    hard = [ids.setdefault(person_hard_key(f), len(ids)) for f in feats]

    def rule(i: int, j: int):
        return C.person_cannot_link(feats[i], feats[j])

    plain = ConstrainedClusters(len(feats), constrained, rule, hard_key=hard)
    took_plain = plain.union_all(ia.tolist(), ib.tolist())
    known = C.person_cannot_link.many(feats, ia, ib, _level_is(feats, ia, ib)).tolist()
    fast = ConstrainedClusters(len(feats), constrained, rule, hard_key=hard)
    took_fast = fast.union_all(ia.tolist(), ib.tolist(), known)
    assert took_fast == took_plain
    assert fast.groups() == plain.groups()
    assert fast.refused == plain.refused


@settings(max_examples=300, deadline=None)
@given(st.lists(person(), min_size=2, max_size=7),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=20))
def test_a_pairs_answer_is_its_clusters_answer_where_clustering_says_so(feats, merges, asked):
    """What the review queue relies on: where known_answer says so, the records' own answer is
    the answer for their clusters."""
    spec = SPECS["person"]
    ids: dict = {}
    hard = [ids.setdefault(person_hard_key(f), len(ids)) for f in feats]

    def rule(i: int, j: int):
        return C.person_cannot_link(feats[i], feats[j])

    cl = ConstrainedClusters(len(feats), [spec.constrained(f) for f in feats], rule, hard_key=hard)
    ia, ib = _pairs(feats, merges)
    cl.union_all(ia.tolist(), ib.tolist())
    qa, qb = _pairs(feats, asked)
    for a, b in zip(qa.tolist(), qb.tolist()):
        ra, rb = cl.find(a), cl.find(b)
        if ra == rb:
            continue
        own = rule(a, b) is not None
        if cl.known_answer(ra, rb, a, b, own):
            assert own == bool(cl.blocked(ra, rb))
