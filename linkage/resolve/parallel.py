"""A comparison over many distinct pairs of values, shared with one forked helper process.

Each comparison function is pure and its input pairs are independent, so the list can be cut in
two: a forked child (which sees the parent's features without copying or pickling them) does the
first half while the parent does the second, and the child sends its levels back. The levels are
exactly those of one process doing all of them. Small inputs, one-core machines and platforms
without fork stay in one process: starting a child costs more than it saves there.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

MIN_PAIRS = 50_000  # below this the fork and the pickled results cost more than they save

_job: tuple | None = None  # what the forked child reads: set just before the fork


def _first_half(stop: int) -> list:
    fn, feats, a_idx, b_idx = _job
    return [fn(feats[a], feats[b]) for a, b in zip(a_idx[:stop], b_idx[:stop])]


def _workers() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        return min(2, len(os.sched_getaffinity(0)))
    except AttributeError:
        return min(2, os.cpu_count() or 1)


def levels_of_pairs(fn: Callable, feats: Sequence, a_idx: list[int], b_idx: list[int]) -> list:
    """[fn(feats[a], feats[b]) for each pair], in order."""
    global _job
    n = len(a_idx)
    if n < MIN_PAIRS or _workers() < 2:
        return [fn(feats[a], feats[b]) for a, b in zip(a_idx, b_idx)]
    stop = n // 2
    _job = (fn, feats, a_idx, b_idx)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            child = pool.submit(_first_half, stop)
            mine = [fn(feats[a], feats[b]) for a, b in zip(a_idx[stop:], b_idx[stop:])]
            return child.result() + mine
    finally:
        _job = None
