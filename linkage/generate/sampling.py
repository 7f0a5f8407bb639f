"""Fast draws from a seeded `random.Random`.

`Random.choice` and `Random.randint` go through rejection sampling on random bits, several times
slower than one `random()` call; over a million draws per 100,000 reports that matters. These
are deterministic for a given stream, like the originals.
"""

from __future__ import annotations

import random
from typing import Sequence, TypeVar

T = TypeVar("T")


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """One element of a non-empty sequence, uniformly."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high], both included."""
    return low + int(rng.random() * (high - low + 1))
