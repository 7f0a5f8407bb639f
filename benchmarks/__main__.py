"""Run every benchmark module (or those named on the command line) and print their figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main(argv: list[str]) -> int:
    console = Console()
    import benchmarks

    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    table = Table("benchmark", "figure", "value", "target", title="linkage benchmarks")
    for name in names:
        mod = importlib.import_module(f"benchmarks.{name}")
        console.rule(name)
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp:
            rows = mod.run(Path(tmp), console)
        for figure, value, target in rows:
            table.add_row(name, figure, value, target)
            console.print(f"  {figure}: {value}  (target: {target})")
        console.print(f"  [dim]{name} took {time.perf_counter() - t0:.1f} s[/]")
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
