"""The date-of-birth comparison over many pairs of records at once.

Each record's date of birth is laid out in a few integer slots (its day, month and year
candidates: two of each cover an ambiguous 03/04/1990), and `comparisons.dob_level`'s rules run
as array operations over all pairs. Records with more candidates than slots go through the scalar
function. The answer equals `dob_level` for every pair (a property test holds the two together).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from linkage.resolve.arrays import unique_inverse

SLOTS = 2
LEVELS = (None, "exact", "swapped", "conflict", "year_month", "year", "range", "far")


def _layout(feats: Sequence, idx: list[int]):
    n = len(idx)
    days = np.full((n, SLOTS), -1, dtype=np.int64)
    swapped = np.full((n, SLOTS), -2, dtype=np.int64)  # the day/month swap of each day (-2: none)
    months = np.full((n, SLOTS), -1, dtype=np.int64)
    years = np.full((n, SLOTS), -1, dtype=np.int64)
    ymin = np.zeros(n, dtype=np.int64)
    ymax = np.zeros(n, dtype=np.int64)
    has = np.zeros(n, dtype=bool)
    est = np.zeros(n, dtype=bool)
    slow = np.zeros(n, dtype=bool)
    for r, i in enumerate(idx):
        f = feats[i]
        if not f.has_dob:
            continue
        has[r] = True
        est[r] = f.estimated
        if f.year_max is None or len(f.days) > SLOTS or len(f.months) > SLOTS or len(f.years) > SLOTS:
            slow[r] = True
            continue
        ymin[r], ymax[r] = f.year_min, f.year_max
        for k, (y, m, d) in enumerate(sorted(f.days)):
            days[r, k] = (y * 100 + m) * 100 + d
            if d <= 12:
                swapped[r, k] = (y * 100 + d) * 100 + m
        for k, (y, m) in enumerate(sorted(f.months)):
            months[r, k] = y * 100 + m
        for k, y in enumerate(sorted(f.years)):
            years[r, k] = y
    return days, swapped, months, years, ymin, ymax, has, est, slow


def _meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per row: do the two slot sets share a value (-1 and -2 are empty slots)?"""
    return ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] >= 0)).any(axis=(1, 2))


def dob_levels_many(feats: Sequence, ia: list[int], ib: list[int], scalar) -> list[str | None]:
    """[scalar(feats[i], feats[j]) for i, j in zip(ia, ib)] where `scalar` is dob_level."""
    if not len(ia):
        return []
    # each record laid out once, then gathered for both sides of every pair
    ia_arr, ib_arr = np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64)
    idx, inv, _ = unique_inverse(np.concatenate([ia_arr, ib_arr]))
    table = _layout(feats, idx.tolist())
    n = len(ia)
    da, sa, ma, ya, lo_a, hi_a, has_a, est_a, slow_a = (x[inv[:n]] for x in table)
    db, sb, mb, yb, lo_b, hi_b, has_b, est_b, slow_b = (x[inv[n:]] for x in table)
    out = np.zeros(n, dtype=np.int8)  # index into LEVELS; 0: not decided yet / None
    decided = ~(has_a & has_b)  # None: nothing to compare on one side
    firm = ~est_a & ~est_b

    both_days = ~decided & (da[:, 0] >= 0) & (db[:, 0] >= 0)
    hit = both_days & _meet(da, db)
    out[hit] = 1
    decided |= hit
    hit = ~decided & both_days & _meet(sa, db)
    out[hit] = 2
    decided |= hit
    hit = ~decided & both_days & firm
    out[hit] = 3
    decided |= hit

    hit = ~decided & (ma[:, 0] >= 0) & (mb[:, 0] >= 0) & _meet(ma, mb)
    out[hit] = 4
    decided |= hit

    years_firm = ~decided & (ya[:, 0] >= 0) & (yb[:, 0] >= 0) & firm
    meet = _meet(ya, yb)
    out[years_firm & meet] = 5
    out[years_firm & ~meet] = 3
    decided |= years_firm

    lo = np.maximum(lo_a, lo_b)
    hi = np.minimum(hi_a, hi_b)
    rest = ~decided
    out[rest & (lo <= hi)] = 6
    out[rest & (lo > hi) & (lo - hi <= 3)] = 7
    out[rest & (lo - hi > 3)] = 3
    levels = [LEVELS[x] for x in out.tolist()]
    for p in np.nonzero((slow_a | slow_b) & has_a & has_b)[0].tolist():
        levels[p] = scalar(feats[ia[p]], feats[ib[p]])
    return levels
