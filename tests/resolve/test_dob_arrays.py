"""The date-of-birth comparison in arrays gives exactly the levels of the one-pair comparison."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.resolve import comparisons as C
from linkage.resolve.features import PersonFeatures

# a few years, months and days, so that pairs agree, swap day and month, or conflict
Y = st.sampled_from([1988, 1989, 1990, 1991, 1995])
M = st.integers(1, 4)
D = st.sampled_from([1, 2, 3, 4, 13, 28])


@st.composite
def person(draw) -> PersonFeatures:
    days = draw(st.frozensets(st.tuples(Y, M, D), max_size=3))
    months = draw(st.frozensets(st.tuples(Y, M), max_size=3)) | {(y, m) for y, m, _ in days}
    years = draw(st.frozensets(Y, max_size=3)) | {y for y, _ in months}
    lo = draw(st.one_of(st.none(), st.sampled_from([1980, 1985, 1988, 1990, 1993, 1999])))
    span = draw(st.integers(0, 6))
    return PersonFeatures(
        record_id="r", names=[("a", "b")], folded=["a b"], family=set(), anonymous=False,
        days=days, months=months, years=years, year_min=lo, year_max=None if lo is None else lo + span,
        estimated=draw(st.booleans()), nationality=None, gender=None, documents=frozenset())


@settings(max_examples=300, deadline=None)
@given(st.lists(person(), min_size=2, max_size=10),
       st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=40))
def test_dob_levels_equal_dob_level(feats, index_pairs):
    pairs = [(i % len(feats), j % len(feats)) for i, j in index_pairs]
    ia, ib = [i for i, _ in pairs], [j for _, j in pairs]
    assert C.dob_level.many(feats, ia, ib) == [C.dob_level(feats[i], feats[j]) for i, j in pairs]
