"""Memoising normalisers: each distinct value is normalised once per process.

`memoise(maxsize)` is `functools.lru_cache` for functions of text, with one difference: a call
whose arguments cannot be hashed (a list where a string was expected) goes straight to the
function instead of raising TypeError, so normalisers keep their promise of never raising.
Results are immutable (frozen dataclasses, strings, tuples), so sharing them is safe.
"""

from __future__ import annotations

from functools import lru_cache, wraps
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


def memoise(maxsize: int) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(*args, **kwargs):
            # lru_cache raises TypeError for arguments it cannot hash, before calling fn; a
            # TypeError of fn's own is raised again by calling fn once more. (Hashing the
            # arguments first to tell the two apart cost more than most cache hits.)
            try:
                return cached(*args, **kwargs)
            except TypeError:
                return fn(*args, **kwargs)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate
