"""Comparison and scoring of every candidate pair at once.

A comparison that looks at a record's own fields (name, date of birth, nationality, gender,
documents) depends only on the pair of values it looks at, and a hundred thousand records carry
far fewer distinct values than they make pairs. So each such comparison runs once per distinct
pair of values (numpy finds them), and the per-pair work is array indexing. Relational
comparisons (a shared phone, address or vehicle) are set intersections, done only for pairs
where both sides have something to share.

Each pair's levels are packed into one integer code (4 bits per comparison), so the distinct
comparison vectors, their counts for EM and their weights are computed once per code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from linkage.resolve.arrays import unique_inverse
from linkage.resolve.scoring import ScoreModel, Scorer

_BITS = 4  # up to 15 levels per comparison, plus "nothing to compare" (0)
SMALL_TABLE = 4096  # comparisons over at most 64 distinct values are answered by a table


@dataclass
class Compared:
    names: list[str]
    vocab: list[list[str | None]]  # per comparison: level index -> level (index 0: None)
    codes: np.ndarray  # per pair: packed level indexes
    unique: np.ndarray  # distinct codes
    inverse: np.ndarray  # per pair: index into unique
    counts: np.ndarray  # per distinct code: number of pairs

    def levels(self, code: int) -> tuple:
        out = []
        for k, vocab in enumerate(self.vocab):
            out.append(vocab[(int(code) >> (_BITS * k)) & ((1 << _BITS) - 1)])
        return tuple(out)

    def level_is(self, comparison: str, level: str, pairs: np.ndarray) -> np.ndarray:
        """Per pair of `pairs` (indexes), whether `comparison` put it at `level`."""
        k = self.names.index(comparison)
        vocab = self.vocab[k]
        if level not in vocab:
            return np.zeros(len(pairs), dtype=bool)
        return ((self.codes[pairs] >> (_BITS * k)) & ((1 << _BITS) - 1)) == vocab.index(level)

    def vector_counts(self) -> Counter:
        return Counter({self.levels(c): int(n) for c, n in zip(self.unique, self.counts)})


def _level_index(vocab: list, index: dict, level) -> int:
    k = index.get(level)
    if k is None:
        k = index[level] = len(vocab)
        if k >= 1 << _BITS:
            raise ValueError("too many levels in one comparison")
        vocab.append(level)
    return k


def compare_all(spec, feats: list, left: np.ndarray, right: np.ndarray) -> Compared:
    names = list(spec.comparisons)
    if len(names) * _BITS > 62:
        raise ValueError("too many comparisons to pack into one code")
    n = len(feats)
    codes = np.zeros(len(left), dtype=np.int64)
    vocabs: list[list] = []
    for k, name in enumerate(names):
        fn = spec.comparisons[name]
        vocab: list = [None]
        index: dict = {None: 0}
        keyfn = (spec.comparison_keys or {}).get(name)
        if keyfn is not None:
            ids: dict = {}
            rep: list[int] = []
            kid = np.empty(n, dtype=np.int64)
            for i, f in enumerate(feats):
                key = keyfn(f)
                x = ids.get(key)
                if x is None:
                    x = ids[key] = len(rep)
                    rep.append(i)
                kid[i] = x
            width = max(len(rep), 1)
            a, b = kid[left], kid[right]
            pair_key = np.minimum(a, b) * width + np.maximum(a, b)
            many = getattr(fn, "many", None)  # the comparison over many pairs at once
            if many is None and rep and width * width <= SMALL_TABLE:
                # few values (nationality, gender): the pairs of values present are found by
                # counting, not sorting, answered in the same order, and looked up per pair
                table = np.zeros(width * width, dtype=np.int64)
                for u in np.nonzero(np.bincount(pair_key, minlength=width * width))[0].tolist():
                    table[u] = _level_index(vocab, index, fn(feats[rep[u // width]], feats[rep[u % width]]))
                codes |= table[pair_key] << (_BITS * k)
                vocabs.append(vocab)
                continue
            uniq, inv, _ = unique_inverse(pair_key)
            if many is not None:
                rep_arr = np.asarray(rep, dtype=np.int64)
                found = many(feats, rep_arr[uniq // width].tolist(), rep_arr[uniq % width].tolist())
                lv = np.fromiter((_level_index(vocab, index, level) for level in found), dtype=np.int64,
                                 count=len(uniq))
            else:
                lv = np.fromiter((_level_index(vocab, index, fn(feats[rep[int(u) // width]],
                                                                feats[rep[int(u) % width]]))
                                  for u in uniq), dtype=np.int64, count=len(uniq))
            level_ids = lv[inv] if len(uniq) else np.zeros(len(left), dtype=np.int64)
        else:
            attr = getattr(fn, "shares", None)
            level_ids = np.zeros(len(left), dtype=np.int64)
            if attr is not None:
                level_ids = _shared_levels(feats, attr, left, right, _level_index(vocab, index, "shared"))
            else:
                for p in range(len(left)):
                    level_ids[p] = _level_index(vocab, index, fn(feats[int(left[p])], feats[int(right[p])]))
        codes |= level_ids << (_BITS * k)
        vocabs.append(vocab)
    unique, inverse, counts = unique_inverse(codes)
    return Compared(names, vocabs, codes, unique, inverse.reshape(-1), counts)


def _shared_levels(feats: list, attr: str, left: np.ndarray, right: np.ndarray, shared: int) -> np.ndarray:
    """`shared` where the two sides' sets (phones, addresses...) overlap, else 0. Most records
    hold one value, so those pairs are compared as integer ids; pairs where a side holds several
    are checked in arrays: each value of the left side, looked up among the right side's
    (unit, value) codes."""
    ids: dict = {}
    single = np.full(len(feats), -1, dtype=np.int64)  # the one value's id; -1: none or several
    counts = np.zeros(len(feats), dtype=np.int64)
    flat: list[int] = []  # every record's value ids, record after record
    for i, f in enumerate(feats):
        values = getattr(f, attr)
        if values:
            counts[i] = len(values)
            flat.extend(ids.setdefault(v, len(ids)) for v in values)
            if len(values) == 1:
                single[i] = flat[-1]
    out = np.zeros(len(left), dtype=np.int64)
    a, b = single[left], single[right]
    out[(a >= 0) & (a == b)] = shared
    multi = counts > 1
    sel = np.nonzero((multi[left] & (counts[right] > 0)) | (multi[right] & (counts[left] > 0)))[0]
    if len(sel):
        values = np.asarray(flat, dtype=np.int64)
        starts = np.cumsum(counts) - counts
        width = max(len(ids), 1)
        owner = np.repeat(np.arange(len(feats), dtype=np.int64), counts)
        held = np.sort(owner * width + values)  # (record, value) codes
        n_left = counts[left[sel]]
        pair_of = np.repeat(sel, n_left)
        offset = np.arange(len(pair_of), dtype=np.int64) - np.repeat(np.cumsum(n_left) - n_left, n_left)
        probe = right[pair_of] * width + values[np.repeat(starts[left[sel]], n_left) + offset]
        pos = np.minimum(np.searchsorted(held, probe), len(held) - 1)
        out[pair_of[held[pos] == probe]] = shared
    return out


def pair_weights(spec, model: ScoreModel, feats: list, cmp: Compared, left: np.ndarray,
                 right: np.ndarray) -> np.ndarray:
    """Total weight (log2 odds, prior included) of every pair, term frequencies applied."""
    names = cmp.names
    tfc = names.index(model.tf_comparison) if model.tf_comparison in names else -1
    base = np.empty(len(cmp.unique), dtype=np.float64)
    tf_level = np.zeros(len(cmp.unique), dtype=np.int64)  # 0: none, else index into tf_levels
    tf_levels: list[str] = []
    for u, code in enumerate(cmp.unique):
        lv = cmp.levels(code)
        w = model.prior_weight
        for k, (c, level) in enumerate(zip(names, lv)):
            if level is None:
                continue
            if k == tfc and level in ("exact", "close") and model.tf:
                if level not in tf_levels:
                    tf_levels.append(level)
                tf_level[u] = tf_levels.index(level) + 1
                continue
            w += model.weight(c, level)
        base[u] = w
    weights = base[cmp.inverse]
    if tf_levels:
        scorer = Scorer(model, spec.comparisons, spec.tf_key)
        tf_of = np.fromiter((_own_tf(scorer, f) for f in feats), dtype=np.float64, count=len(feats))
        pair_tf_level = tf_level[cmp.inverse]
        for t, level in enumerate(tf_levels, start=1):
            sel = np.nonzero(pair_tf_level == t)[0]
            if not len(sel):
                continue
            m, u = model.params[names[tfc]][level]
            tf = np.maximum(tf_of[left[sel]], tf_of[right[sel]])
            # no frequency known for either name: the level's own u, as Scorer does
            denom = np.where(tf > 0, np.maximum(tf, model.tf_floor), max(u, 1e-12))
            weights[sel] += np.log2(max(m, 1e-12) / np.maximum(denom, 1e-12))
    return weights


def _own_tf(scorer: Scorer, f) -> float:
    """The largest known frequency among one record's tf values (0: none known); a pair's
    frequency is the larger of its two sides', as Scorer._tf takes it."""
    tf = scorer.model.tf
    best = 0.0
    for v in scorer.tf_key(f) if scorer.tf_key else ():
        x = tf.get(v, 0.0)
        if x > best:
            best = x
    return best
