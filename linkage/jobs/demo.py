"""The demo: every stage that exists, in flow order, on the embedded store."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table


def run_demo(st, *, reports: int, seed: int, out: Path, console: Console) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    store = st.store()
    info = store.describe()
    console.rule("linkage demo")
    console.print(f"store: {info['kind']} at {info['location']} (schema v{info['schema_version']})")
    counts = store.counts()
    table = Table("what", "count", title="Store contents")
    for k, v in counts.items():
        table.add_row(k, f"{v:,}")
    console.print(table)
    return {"counts": counts}
