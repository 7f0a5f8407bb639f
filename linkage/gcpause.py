"""Pausing Python's cyclic garbage collector around bulk work.

A resolution run, a scan, a projection or a generated world builds millions of small objects
(records, features, rows, tuples) that hold no reference cycles and all stay alive until the work
ends. The collector keeps re-scanning them as they pile up: measured on 96,550 person records it
took 19 of 45 CPU seconds, a quarter of a scan on 100,000 reports, a third of generating a world.
Reference counting still frees everything that is not in a cycle, so pausing costs little memory.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """With `freeze`, what was built is moved to the collector's permanent generation
    (`gc.freeze()`) before collection resumes, so it is not rescanned afterwards either; it is
    still freed normally when dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
