"""Blocking proposes exactly the pairs its rules describe, checked against a plain reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.resolve.blocking import candidate_pairs

KEYS = ["n1:A", "n1:B", "nn:a|b", "nn:c|d", "ph:1", "ty:X|1990|a"]


def reference(keys: list[list[str]], max_block: int, dirty, sort_key, needs) -> list[tuple[int, int]]:
    """The rules, one pair at a time: a block compares all its pairs, or when larger than
    max_block each record with its max_block // 4 sorted neighbours; a sparse ("n1:") block only
    pairs a record that needs it; with `dirty`, a pair needs a dirty record."""
    blocks: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in set(ks):
            blocks.setdefault(k, []).append(i)
    out = set()
    window = max(2, max_block // 4)
    for k, members in blocks.items():
        if len(members) < 2:
            continue
        line = sorted(members, key=lambda i: (sort_key(i), i))
        if k.startswith("n1:"):
            for i in (m for m in members if needs[m]):
                if len(members) <= max_block:
                    near = members
                else:
                    p = line.index(i)
                    near = line[max(0, p - window):p + window + 1]
                out.update((min(i, j), max(i, j)) for j in near if j != i)
        elif len(members) <= max_block:
            out.update((a, b) for x, a in enumerate(members) for b in members[x + 1:])
        else:
            for d in range(1, min(window, len(line) - 1) + 1):
                out.update((min(a, b), max(a, b)) for a, b in zip(line, line[d:]))
    if dirty is not None:
        out = {(a, b) for a, b in out if dirty[a] or dirty[b]}
    return sorted(out)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(KEYS), max_size=3), st.integers(0, 5), st.booleans(),
                          st.booleans()), min_size=2, max_size=40),
       st.sampled_from([4, 8, 60]), st.booleans())
def test_candidate_pairs_follow_the_rules(rows, max_block, incremental):
    keys = [r[0] for r in rows]
    rank = [r[1] for r in rows]
    needs = [r[2] for r in rows]
    dirty = [r[3] for r in rows] if incremental else None
    pairs, _ = candidate_pairs(list(range(len(rows))), lambda i: keys[i], max_block, dirty,
                               lambda i: rank[i], ("n1:",), needs)
    assert [tuple(p) for p in pairs.tolist()] == reference(keys, max_block, dirty, lambda i: rank[i], needs)
