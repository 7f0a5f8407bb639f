"""The name comparison in arrays gives exactly the levels of the one-pair comparison."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.resolve import comparisons as C
from linkage.resolve.features import PersonFeatures
from linkage.resolve.name_arrays import MAX_TOKENS, name_pair_levels

# few, similar tokens: so that pairs share tokens, differ by a typo, carry initials and descriptors
TOKENS = st.sampled_from([
    "nguyen", "nguyne", "ngyuen", "van", "vaan", "an", "anh", "hung", "hong", "thi", "tran", "v", "a",
    "h", "n", "the", "driver", "big", "popescu", "popesku", "ion", "ioan", "i", "p", "ab", "ba", "abc",
])
NAME = st.lists(TOKENS, min_size=1, max_size=MAX_TOKENS + 2, unique=True).map(lambda t: tuple(sorted(t)))


def person(names: list[tuple[str, ...]]) -> PersonFeatures:
    return PersonFeatures(
        record_id="r", names=names, folded=[" ".join(n) for n in names], family=set(),
        anonymous=not names, days=frozenset(), months=frozenset(), years=frozenset(),
        year_min=None, year_max=None, estimated=False, nationality=None, gender=None,
        documents=frozenset())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=40))
def test_pair_levels_equal_the_scalar_comparison(pairs):
    names = sorted({n for p in pairs for n in p})
    index = {n: i for i, n in enumerate(names)}
    a = np.array([index[x] for x, _ in pairs], dtype=np.int64)
    b = np.array([index[y] for _, y in pairs], dtype=np.int64)
    got = name_pair_levels(names, a, b, C._name_level_pair, C._initials_compatible)
    assert got.tolist() == [C._name_level_pair(x, y) for x, y in pairs]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(NAME, max_size=3, unique=True), min_size=2, max_size=12),
       st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=30))
def test_record_name_levels_equal_name_level(record_names, index_pairs):
    feats = [person(n) for n in record_names]
    pairs = [(i % len(feats), j % len(feats)) for i, j in index_pairs]
    ia, ib = [i for i, _ in pairs], [j for _, j in pairs]
    assert C.name_level.many(feats, ia, ib) == [C.name_level(feats[i], feats[j]) for i, j in pairs]
