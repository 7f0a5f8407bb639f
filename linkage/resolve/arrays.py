"""Distinct values of large integer arrays, as np.unique gives them, faster.

np.unique sorts the whole array (millions of pair codes or pair keys); a hash table (pyarrow's
dictionary encoding) finds the distinct values in one pass, and only those few are then sorted.
The results are exactly np.unique's, so every caller stays deterministic.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """np.unique(values) for a 1-d int64 array."""
    if len(values) == 0:
        return np.asarray(values, dtype=np.int64)
    return np.sort(pc.unique(pa.array(values)).to_numpy())


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
