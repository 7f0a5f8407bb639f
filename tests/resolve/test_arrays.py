import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.resolve.arrays import unique_inverse, unique_sorted


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**40), max_size=300))
def test_distinct_values_are_those_of_np_unique(xs):
    x = np.array(xs, dtype=np.int64)
    assert np.array_equal(unique_sorted(x), np.unique(x))
    u, inv, counts = unique_inverse(x)
    eu, einv, ecounts = np.unique(x, return_inverse=True, return_counts=True)
    assert np.array_equal(u, eu) and np.array_equal(inv, einv.reshape(-1)) and np.array_equal(counts, ecounts)
