"""Blocking: which pairs are worth comparing. Explicit keys per record type, measurable,
with a cap on block size so one very common key (a shared hub phone, "nguyen|van") cannot
turn into millions of comparisons."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)


def candidate_pairs(features: Sequence, keys_of: Callable[[object], Sequence[str]], max_block: int,
                    dirty: Sequence[bool] | None = None,
                    sort_key: Callable[[object], tuple] | None = None) -> tuple[set[tuple[int, int]], dict]:
    """Pairs (i < j) sharing a key; with `dirty`, only pairs touching a dirty record.

    A block larger than `max_block` is not compared in full: its records are sorted (by birth
    year and name, by address, by fingerprint) and each is compared with its `max_block // 4`
    nearest neighbours (the sorted-neighbourhood method), so a very common key still finds
    near-identical records without n^2 comparisons."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(features):
        for k in set(keys_of(f)):
            blocks[k].append(i)
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    skipped_kinds: dict[str, int] = defaultdict(int)
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            skipped += 1
            skipped_kinds[key.split(":", 1)[0]] += 1
            if sort_key is None:
                continue
            window = max(2, max_block // 4)
            ordered = sorted(members, key=lambda i: (sort_key(features[i]), i))
            for a in range(len(ordered)):
                for b in range(a + 1, min(a + 1 + window, len(ordered))):
                    i, j = ordered[a], ordered[b]
                    if dirty is not None and not (dirty[i] or dirty[j]):
                        continue
                    pairs.add((i, j) if i < j else (j, i))
            continue
        if dirty is not None:
            d = [i for i in members if dirty[i]]
            if not d:
                continue
            for i in d:
                for j in members:
                    if i != j:
                        pairs.add((i, j) if i < j else (j, i))
            continue
        members.sort()
        for a in range(len(members)):
            mi = members[a]
            for b in range(a + 1, len(members)):
                pairs.add((mi, members[b]))
    if skipped:
        # key kinds and counts only: a key itself is personal data (a name, a phone)
        log.warning("%d blocking keys were too common to compare in full (over %d records; "
                    "compared by sorted neighbourhood instead): %s",
                    skipped, max_block, dict(skipped_kinds))
    return pairs, {"blocks": len(blocks), "oversized_blocks": skipped, "pairs": len(pairs)}
