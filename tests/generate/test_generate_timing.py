"""How long 10,000 reports take to generate and write (printed, not asserted; run with -s)."""

from __future__ import annotations

import time

from linkage.generate import generate_world, write_world
from tests.generate.conftest import AS_OF


def test_generation_timing_10k(tmp_path, capsys):
    t0 = time.perf_counter()
    world = generate_world(10_000, seed=7, as_of=AS_OF)
    t1 = time.perf_counter()
    write_world(world, tmp_path)
    t2 = time.perf_counter()
    with capsys.disabled():
        print(f"\n[generate] 10,000 reports: generated in {t1 - t0:.2f}s "
              f"({10_000 / (t1 - t0):,.0f} reports/s), written in {t2 - t1:.2f}s, "
              f"{len(world.truth):,} truth rows")
    assert len(world.reports) == 10_000
