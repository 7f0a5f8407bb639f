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
            try:
                hash((args, tuple(kwargs.items())))
            except TypeError:
                return fn(*args, **kwargs)
            return cached(*args, **kwargs)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate
