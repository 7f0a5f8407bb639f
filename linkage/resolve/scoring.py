"""Fellegi-Sunter scoring: each comparison level carries a weight log2(m/u); a pair's score is
the sum of its levels' weights plus the prior log-odds, turned into a probability.

m and u start from the documented priors (config.py). For people, u is re-estimated from random
pairs and m by expectation-maximisation over the blocked candidate pairs, without labels; the EM
runs on the counts of distinct comparison vectors, so it costs nothing per pair. Name agreement
is adjusted by term frequency: two records both called "Nguyen Van An" prove less than two both
called "Gëzim Hoxha".
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class ScoreModel:
    record_type: str
    params: dict[str, dict[str, tuple[float, float]]]  # comparison -> level -> (m, u)
    prior_match: float
    tf: dict[str, float] = field(default_factory=dict)  # name value -> frequency among records
    tf_floor: float = 1e-7
    tf_comparison: str | None = None  # which comparison the term frequency adjusts

    def to_doc(self) -> dict:
        return {"record_type": self.record_type, "prior_match": self.prior_match,
                "params": {c: {l: list(mu) for l, mu in lv.items()} for c, lv in self.params.items()},
                "tf_floor": self.tf_floor, "tf_comparison": self.tf_comparison}

    @classmethod
    def from_doc(cls, doc: dict, tf: dict[str, float] | None = None) -> "ScoreModel":
        return cls(doc["record_type"], {c: {l: tuple(mu) for l, mu in lv.items()} for c, lv in doc["params"].items()},
                   doc["prior_match"], tf or {}, doc.get("tf_floor", 1e-7), doc.get("tf_comparison"))

    def weight(self, comparison: str, level: str, tf_value: float | None = None) -> float:
        m, u = self.params[comparison][level]
        if tf_value is not None and comparison == self.tf_comparison and level in ("exact", "close"):
            # Splink's term-frequency adjustment: the chance that two different records agree on
            # this value is its frequency, not the average u of the level.
            u = max(tf_value, self.tf_floor)
        return math.log2(max(m, 1e-12) / max(u, 1e-12))

    @property
    def prior_weight(self) -> float:
        p = min(max(self.prior_match, 1e-9), 1 - 1e-9)
        return math.log2(p / (1 - p))


def probability(total_weight: float) -> float:
    if total_weight > 60:
        return 1.0
    if total_weight < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** (-total_weight))


@dataclass
class Explanation:
    levels: list[tuple[str, str | None, float, str]]  # (comparison, level, weight, note)
    prior_weight: float
    total: float
    probability: float
    cannot_link: str | None = None

    def as_dict(self) -> dict:
        return {
            "comparisons": [{"comparison": c, "level": l, "weight": round(w, 4), "note": n}
                            for c, l, w, n in self.levels],
            "prior_weight": round(self.prior_weight, 4),
            "total": round(self.total, 4),
            "probability": self.probability,
            "cannot_link": self.cannot_link,
        }


class Scorer:
    def __init__(self, model: ScoreModel, comparisons: dict[str, Callable],
                 tf_key: Callable[[object], Sequence[str]] | None = None):
        self.model = model
        self.comparisons = comparisons
        self.tf_key = tf_key
        self._w = {(c, l): model.weight(c, l) for c, lv in model.params.items() for l in lv}

    def levels(self, fa, fb) -> tuple:
        return tuple(fn(fa, fb) for fn in self.comparisons.values())

    def _tf(self, fa, fb) -> float | None:
        if self.tf_key is None or not self.model.tf:
            return None
        tf = self.model.tf
        # the more common of the two records' names decides how much agreement proves
        vals = [tf.get(v, 0.0) for v in list(self.tf_key(fa)) + list(self.tf_key(fb))]
        vals = [v for v in vals if v > 0]
        return max(vals) if vals else None

    def score(self, fa, fb) -> float:
        """Total weight (log2 odds) including the prior."""
        total = self.model.prior_weight
        tfc = self.model.tf_comparison
        for name, fn in self.comparisons.items():
            level = fn(fa, fb)
            if level is None:
                continue
            if name == tfc and level in ("exact", "close"):
                total += self.model.weight(name, level, self._tf(fa, fb))
            else:
                total += self._w[(name, level)]
        return total

    def explain(self, fa, fb, cannot_link: str | None = None) -> Explanation:
        rows = []
        total = self.model.prior_weight
        tfc = self.model.tf_comparison
        for name, fn in self.comparisons.items():
            level = fn(fa, fb)
            if level is None:
                rows.append((name, None, 0.0, "nothing to compare on one side"))
                continue
            note = ""
            if name == tfc and level in ("exact", "close"):
                tfv = self._tf(fa, fb)
                w = self.model.weight(name, level, tfv)
                if tfv is not None:
                    note = f"term frequency {tfv:.2e}"
            else:
                w = self._w[(name, level)]
            total += w
            rows.append((name, level, w, note))
        return Explanation(rows, self.model.prior_weight, total, probability(total), cannot_link)


def estimate_u(features: Sequence, comparisons: dict[str, Callable], priors: dict, n_pairs: int,
               seed: int = 1, compare: Callable[[int, int], tuple] | None = None) -> dict[str, dict[str, float]]:
    """u from random pairs (almost all non-matches), smoothed towards the priors."""
    rng = random.Random(seed)
    n = len(features)
    names = list(comparisons)
    counts = {c: Counter() for c in comparisons}
    if n < 2:
        return {c: {l: mu[1] for l, mu in priors[c].items()} for c in comparisons}
    if compare is None:
        fns = list(comparisons.values())

        def compare(i: int, j: int) -> tuple:
            return tuple(fn(features[i], features[j]) for fn in fns)
    for _ in range(n_pairs):
        i, j = int(rng.random() * n), int(rng.random() * n)
        if i == j:
            continue
        for c, lvl in zip(names, compare(i, j)):
            if lvl is not None:
                counts[c][lvl] += 1
    out = {}
    k = 1000.0  # pseudo-count of the prior: sparse levels stay near their documented u
    for c, levels in priors.items():
        total = sum(counts[c].values())
        out[c] = {l: (counts[c][l] + k * mu[1]) / (total + k) for l, mu in levels.items()}
    return out


def estimate_m(vectors: Counter, names: Sequence[str], priors: dict, u: dict, prior_match: float,
               iterations: int) -> tuple[dict[str, dict[str, float]], float]:
    """EM for m and the match rate over counts of comparison vectors, u held fixed."""
    m = {c: {l: mu[0] for l, mu in priors[c].items()} for c in names}
    lam = prior_match
    k = 50.0  # pseudo-count of the prior m
    items = list(vectors.items())
    for _ in range(iterations):
        num = {c: Counter() for c in names}
        den = Counter()
        total_p = 0.0
        total_n = 0
        for vec, count in items:
            lm, lu = math.log(lam), math.log(1 - lam)
            for c, lvl in zip(names, vec):
                if lvl is None:
                    continue
                lm += math.log(max(m[c][lvl], 1e-12))
                lu += math.log(max(u[c][lvl], 1e-12))
            d = lm - lu
            p = 1.0 / (1.0 + math.exp(-d)) if d > -700 else 0.0
            total_p += p * count
            total_n += count
            for c, lvl in zip(names, vec):
                if lvl is None:
                    continue
                num[c][lvl] += p * count
                den[c] += p * count
        for c in names:
            for l in m[c]:
                m[c][l] = (num[c][l] + k * priors[c][l][0]) / (den[c] + k)
        lam = min(max(total_p / max(total_n, 1), 1e-4), 0.9)
    return m, lam
