"""Blocking: which pairs are worth comparing. Explicit keys per record type, measurable,
with a cap on block size so one very common key (a shared hub phone, "nguyen|van") cannot
turn into millions of comparisons."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from linkage.resolve.arrays import unique_sorted

log = logging.getLogger(__name__)


def candidate_pairs(features: Sequence, keys_of: Callable[[object], Sequence[str]], max_block: int,
                    dirty: Sequence[bool] | None = None,
                    sort_key: Callable[[object], tuple] | None = None,
                    sparse_prefixes: tuple[str, ...] = (),
                    needs: Sequence[bool] | None = None) -> tuple[np.ndarray, dict]:
    """Pairs (i < j) sharing a key, as an (n, 2) int64 array in ascending order; with `dirty`,
    only pairs touching a dirty record.

    A block larger than `max_block` is not compared in full: its records are sorted (by
    `sort_key`: name and birth year, address, fingerprint) and each is compared with its `max_block // 4`
    nearest neighbours (the sorted-neighbourhood method), so a very common key still finds
    near-identical records without n^2 comparisons.

    Keys starting with one of `sparse_prefixes` only pair records of which at least one
    `needs` them (see TypeSpec.sparse_prefixes).

    A hundred thousand records make millions of (mostly repeated) pairs: each pair is an integer
    code i * n + j and blocks of one size are expanded together in numpy, so no Python object is
    made per pair except in the rare oversized and sparse blocks."""
    n = len(features)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(features):
        for k in set(keys_of(f)):
            blocks[k].append(i)  # ascending: records are visited in order
    by_size: dict[int, list[list[int]]] = defaultdict(list)
    extra: list[np.ndarray] = []  # codes from sparse blocks
    extra_chunks: list[tuple[np.ndarray, np.ndarray]] = []  # pairs from oversized blocks
    skipped = 0
    skipped_kinds: dict[str, int] = defaultdict(int)
    sort_keys: list | None = None  # one sort key per record, made when an oversized block needs it
    dirty_arr = np.asarray(dirty, dtype=bool) if dirty is not None else None

    def ordered(members: list[int]) -> list[int]:
        nonlocal sort_keys
        if sort_key is None:
            return sorted(members)
        if sort_keys is None:
            sort_keys = [sort_key(f) for f in features]
        return sorted(members, key=lambda i: (sort_keys[i], i))

    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if needs is not None and key.startswith(sparse_prefixes):
            _sparse_block(members, needs, dirty_arr, max_block, ordered, extra, n)
            continue
        if len(members) > max_block:
            skipped += 1
            skipped_kinds[key.split(":", 1)[0]] += 1
            if sort_key is None:
                continue
            line = np.asarray(ordered(members), dtype=np.int64)
            for d in range(1, min(max(2, max_block // 4), len(line) - 1) + 1):
                extra_chunks.append((line[:-d], line[d:]))  # each record and its d-th neighbour
            continue
        if dirty is not None and not any(dirty[i] for i in members):
            continue
        by_size[len(members)].append(members)
    chunks = [np.zeros(0, dtype=np.int64), *extra]
    if extra_chunks:
        left = np.concatenate([a for a, _ in extra_chunks])
        right = np.concatenate([b for _, b in extra_chunks])
        if dirty_arr is not None:
            keep = dirty_arr[left] | dirty_arr[right]
            left, right = left[keep], right[keep]
        chunks.append(np.minimum(left, right) * n + np.maximum(left, right))
    for size, groups in by_size.items():
        arr = np.array(groups, dtype=np.int64)
        a, b = np.triu_indices(size, 1)
        left, right = arr[:, a].ravel(), arr[:, b].ravel()
        if dirty_arr is not None:
            keep = dirty_arr[left] | dirty_arr[right]
            left, right = left[keep], right[keep]
        chunks.append(left * n + right)
    codes = unique_sorted(np.concatenate(chunks))
    pairs = np.empty((len(codes), 2), dtype=np.int64)
    if n:
        pairs[:, 0], pairs[:, 1] = np.divmod(codes, n)
    if skipped:
        # key kinds and counts only: a key itself is personal data (a name, a phone)
        log.warning("%d blocking keys were too common to compare in full (over %d records; "
                    "compared by sorted neighbourhood instead): %s",
                    skipped, max_block, dict(skipped_kinds))
    return pairs, {"blocks": len(blocks), "oversized_blocks": skipped, "pairs": len(pairs)}


def _sparse_block(members: list[int], needs: Sequence[bool], dirty: np.ndarray | None, max_block: int,
                  ordered: Callable[[list[int]], list[int]], out: list, n: int) -> None:
    """Pairs of a sparse key's block that touch a record needing it: all of them in a small
    block, its sorted neighbours (both sides) in a large one. Appended to `out` as an array of
    codes."""
    wanted = [i for i in members if needs[i]]
    if not wanted:
        return
    if len(members) <= max_block:
        left = np.repeat(np.asarray(wanted, dtype=np.int64), len(members))
        right = np.tile(np.asarray(members, dtype=np.int64), len(wanted))
    else:
        window = max(2, max_block // 4)
        line = np.asarray(ordered(members), dtype=np.int64)
        by_value = np.argsort(line)  # positions in the line, by record index
        at = by_value[np.searchsorted(line[by_value], np.asarray(wanted, dtype=np.int64))]
        offsets = np.arange(-window, window + 1, dtype=np.int64)
        q = (at[:, None] + offsets[None, :]).ravel()
        left = np.repeat(line[at], len(offsets))
        keep = (q >= 0) & (q < len(line))
        left, right = left[keep], line[q[keep]]
    keep = left != right
    if dirty is not None:
        keep &= dirty[left] | dirty[right]
    left, right = left[keep], right[keep]
    out.append(np.minimum(left, right) * n + np.maximum(left, right))
