"""`python -m linkage.generate --reports 3000 --seed 7 --as-of 2025-06-30 --out demo-out/data`"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from linkage.generate import generate_world, write_world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m linkage.generate",
                                     description="Generate a synthetic MSHT reporting world.")
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help="last reporting day, YYYY-MM-DD (default: today)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    world = generate_world(args.reports, seed=args.seed, as_of=args.as_of)
    t1 = time.perf_counter()
    paths = write_world(world, args.out)
    t2 = time.perf_counter()
    print(f"{len(world.reports):,} reports, {len(world.truth):,} truth rows, "
          f"{len(world.planted['ocgs'])} groups: generated in {t1 - t0:.2f}s, "
          f"written in {t2 - t1:.2f}s")
    for name, path in paths.items():
        print(f"  {name:9s} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
