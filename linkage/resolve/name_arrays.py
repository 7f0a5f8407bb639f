"""The person name comparison over many pairs of names at once.

`comparisons._name_level_pair` answers one pair of token tuples in Python; a resolution run asks
it about a few hundred thousand distinct pairs, and that loop was the largest single cost of
resolving people. Here the same levels come from arrays: tokens become integer ids, the
similarity of each distinct pair of tokens is computed once by rapidfuzz in C++, and the greedy
token alignment runs as a few masked steps over all pairs together. Pairs where either name has
an initial (rare) go through the scalar function, whose initials rule is not worth an array form.

The answer equals `_name_level_pair` for every pair (a property test holds the two together).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from linkage.resolve.arrays import unique_inverse

MAX_TOKENS = 6  # names with more tokens than this go through the scalar function


def name_pair_levels(names: Sequence[tuple[str, ...]], a_idx: np.ndarray, b_idx: np.ndarray,
                     scalar, initials) -> np.ndarray:
    """[scalar(names[a], names[b]) for a, b in zip(a_idx, b_idx)] as an int8 array (levels
    0..5), where `scalar` is `_name_level_pair` and `initials` its initials rule; every name is
    a sorted tuple of distinct tokens."""
    n = len(a_idx)
    out = np.empty(n, dtype=np.int8)
    if n == 0:
        return out
    # each distinct name once: its token ids, token count, and whether it has an initial
    K = max(1, min(MAX_TOKENS, max(map(len, names))))
    token_id: dict[str, int] = {}
    tokens: list[str] = []
    tok = np.full((len(names), K), -1, dtype=np.int64)
    count = np.zeros(len(names), dtype=np.int64)
    too_long = np.zeros(len(names), dtype=bool)
    for i, name in enumerate(names):
        if len(name) > K:
            too_long[i] = True
            continue
        count[i] = len(name)
        for k, t in enumerate(name):
            x = token_id.get(t)
            if x is None:
                x = token_id[t] = len(tokens)
                tokens.append(t)
            tok[i, k] = x
    length = np.array([len(t) for t in tokens], dtype=np.int64) if tokens else np.zeros(1, np.int64)
    tok_len = np.where(tok >= 0, length[np.maximum(tok, 0)], -1)
    has_initial = ((tok >= 0) & (tok_len == 1)).any(axis=1)
    # each name's tokens longest first, ties in their tuple order (a stable sort, as sorted()
    # is): the order the alignment visits the leading name's tokens in
    by_length = np.take_along_axis(tok, np.argsort(-tok_len, axis=1, kind="stable"), axis=1)

    ta, tb = tok[a_idx], tok[b_idx]
    na, nb = count[a_idx], count[b_idx]
    slow = too_long[a_idx] | too_long[b_idx] | (na == 0) | (nb == 0)

    # the longer side leads the alignment (as in _token_alignment: a stays first on a tie)
    swap = na < nb
    lead = np.where(swap[:, None], by_length[b_idx], by_length[a_idx])
    pool = np.where(swap[:, None], ta, tb)

    # similarity of every (lead token, pool token) pair, once per distinct pair of tokens
    V = max(len(tokens), 1)
    valid = (lead[:, :, None] >= 0) & (pool[:, None, :] >= 0)
    flat = (lead[:, :, None] * V + pool[:, None, :])[valid]
    uniq, inv, _ = unique_inverse(flat)
    sims_u = process.cpdist([tokens[int(c) // V] for c in uniq], [tokens[int(c) % V] for c in uniq],
                            scorer=OSA.normalized_similarity, dtype=np.float64, workers=1) \
        if len(uniq) else np.zeros(0)
    sims = np.full(valid.shape, -np.inf)
    sims[valid] = np.asarray(sims_u, dtype=np.float64)[inv.reshape(-1)]

    total = np.zeros(n, dtype=np.float64)
    used = np.zeros((n, K), dtype=bool)
    rows = np.arange(n)
    for k in range(K):
        t = lead[:, k]
        s = np.where(used, -np.inf, sims[:, k, :])
        best_i = np.argmax(s, axis=1)  # the first best, as the scalar loop keeps the first
        best = s[rows, best_i]
        take = (t >= 0) & (best >= 0.5)
        total[take] += best[take] * length[t[take]]
        used[rows[take], best_i[take]] = True
    total_len = np.where(lead >= 0, length[np.maximum(lead, 0)], 0).sum(axis=1)
    sim = total / np.maximum(total_len, 1)

    # shared tokens and subsets (tokens within a name are distinct)
    shared = ((ta[:, :, None] == tb[:, None, :]) & (ta[:, :, None] >= 0)).sum(axis=(1, 2))
    subset = (shared >= 2) & ((shared == na) | (shared == nb))

    level = np.full(n, 5, dtype=np.int8)
    level[sim >= 0.80] = 4
    level[subset] = 3
    # the initials rule ranks between "close" and "subset"; it needs a shared full token
    maybe = ~slow & (has_initial[a_idx] | has_initial[b_idx]) & (shared >= 1) & (level > 2)
    for i in np.nonzero(maybe)[0].tolist():
        if initials(names[a_idx[i]], names[b_idx[i]]):
            level[i] = 2
    level[(sim >= 0.90) & (na == nb)] = 1
    level[a_idx == b_idx] = 0
    out[:] = level
    for i in np.nonzero(slow)[0].tolist():
        out[i] = scalar(names[a_idx[i]], names[b_idx[i]])
    return out
