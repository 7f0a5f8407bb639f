"""Stable entity ids.

The rule (deterministic): each new cluster inherits the previous entity id that holds most of its
records (ties: the smaller id); an old id goes to one cluster only, the one with the largest
overlap. A cluster that inherits nothing gets `<prefix>-` + a hash of its smallest record id.
So an entity keeps its id when records join or leave it, and splitting one entity leaves the old
id with the larger part. Exact-value types (phones, vehicles...) are named by their value's hash.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from linkage.model import stable_hash

PREFIX = {"person": "P", "location": "L", "business": "B", "phone": "T", "email": "M",
          "vehicle": "V", "account": "A"}


def fresh_id(record_type: str, seed: str) -> str:
    return f"{PREFIX[record_type]}-{stable_hash(record_type, seed, length=10)}"


def value_id(record_type: str, value: str) -> str:
    return f"{PREFIX[record_type]}-{stable_hash(record_type, 'value', value, length=10)}"


def assign_ids(record_type: str, clusters: Sequence[Sequence[str]], previous: dict[str, str]) -> list[str]:
    """One id per cluster (clusters are lists of record ids); `previous` maps record -> old id."""
    claims: list[tuple[int, str, int]] = []  # (-overlap, old_id, cluster index)
    for ci, members in enumerate(clusters):
        overlap = Counter(previous[r] for r in members if r in previous)
        for old, n in overlap.items():
            claims.append((-n, old, ci))
    claims.sort()
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    for _neg, old, ci in claims:
        if ids[ci] is None and old not in taken:
            ids[ci] = old
            taken.add(old)
    for ci, members in enumerate(clusters):
        if ids[ci] is None:
            candidate = fresh_id(record_type, min(members))
            n = 1
            while candidate in taken:
                candidate = fresh_id(record_type, f"{min(members)}#{n}")
                n += 1
            ids[ci] = candidate
            taken.add(candidate)
    return ids  # type: ignore[return-value]
