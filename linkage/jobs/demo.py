"""The demo: the main job end to end on the embedded store.

Generates a synthetic world, ingests it (rejects kept), resolves records into entities,
computes flags, finds networks and linked venues, runs the daily scan, routes referrals for
the SOCEX hub, and prints what an analyst would look at first.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


def run_demo(st, *, reports: int, seed: int, out: Path, console: Console) -> dict:
    from ingest.geo import ForceLookup
    from ingest.run import ingest_payloads
    from linkage.audit import current_actor
    from linkage.generate import generate_world, write_world
    from linkage.resolve.pipeline import resolve

    out.mkdir(parents=True, exist_ok=True)
    store = st.store()
    settings = st.settings
    audit = st.audit()
    actor = current_actor()
    figures: dict[str, str] = {}
    console.rule("[bold]linkage demo")
    info = store.describe()
    console.print(f"store: {info['kind']} at {info['location']} (schema v{info['schema_version']})")

    t0 = time.perf_counter()
    world = generate_world(reports, seed=seed, as_of=date.today())
    paths = write_world(world, out / "data")
    figures["generated"] = f"{len(world.reports):,} reports in {time.perf_counter() - t0:.1f} s -> {out / 'data'}"

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(world.reports))
        t0 = time.perf_counter()
        res = ingest_payloads(store, world.reports, lookup=ForceLookup.shipped(),
                              on_progress=lambda n: progress.update(task, completed=n))
    statuses: dict[str, int] = {}
    for r in res.results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    figures["ingested"] = f"{statuses} in {time.perf_counter() - t0:.1f} s"
    audit.append("ingest", actor=actor, source="demo", **statuses)

    with console.status("resolving records into entities"):
        rep = resolve(store, st.resolution_config())
    figures["resolved"] = (f"{sum(t.records for t in rep.types.values()):,} records -> "
                           f"{sum(t.entities for t in rep.types.values()):,} entities, "
                           f"{rep.entity_links:,} entity links in {rep.seconds:.1f} s")
    audit.append("resolve", actor=actor, full=rep.full)

    summary = {"figures": figures}
    try:
        from linkage.analytics.flags import import_orders, refresh_flags

        with console.status("flags: section 45, children, orders, relocations"):
            orders_file = Path(paths["orders"]) if "orders" in paths else None
            if orders_file and orders_file.exists():
                import_orders(store, orders_file)
            flags = refresh_flags(store, settings)
        figures["flags"] = ", ".join(f"{k}: {v}" for k, v in flags.get("flags", {}).items())
    except ImportError:
        figures["flags"] = "analytics not installed"

    try:
        from linkage.analytics.networks import find_networks
        from linkage.analytics.venues import linked_venues

        with console.status("networks and linked venues"):
            nets = find_networks(store, cross_border=True, min_size=3)
            venues = linked_venues(store, linked_only=True, limit=10)
        table = Table("network", "size", "forces", "ROCU regions", "victims", "suspects", "score",
                      title="Cross-border networks (top 8)")
        for n in nets[:8]:
            table.add_row(n["network_id"], str(n["size"]), ", ".join(n["forces"]),
                          ", ".join(n["rocu_regions"]), str(len(n["victims"])), str(len(n["suspects"])),
                          f"{n['score']:.1f}")
        console.print(table)
        vt = Table("venue", "linked venues (via)", "score", title="Linked venues (top 8)")
        for v in venues[:8]:
            links = "; ".join(f"{l['venue']['label']} (via {', '.join(x['label'] for x in l['via'][:2])})"
                              for l in v["linked"][:2])
            vt.add_row(v["venue"]["label"], links, f"{v['score']:.1f}")
        console.print(vt)
        figures["networks"] = f"{len(nets)} cross-border networks"
        audit.append("consult_networks", actor=actor, purpose="demo", count=len(nets))
    except ImportError:
        figures["networks"] = "analytics not installed"

    try:
        from linkage.jobs.scan import run_scan

        with console.status("daily scan"):
            scan = run_scan(store, settings, on=date.today(), out_dir=out / "scans" / date.today().isoformat())
        counts = scan.get("counts", {})
        figures["scan"] = f"{counts} -> {out / 'scans' / date.today().isoformat()}"
        audit.append("scan", actor=actor, date=date.today().isoformat(), counts=counts)
    except ImportError:
        figures["scan"] = "scan not installed"

    if settings.delivery_config is None:
        # The demo delivers to a drop folder per force, so dispatches can be seen going out.
        from linkage.model import FORCE_CODES

        cfg = out / "delivery.toml"
        cfg.write_text("".join(f'[forces.{f}]\nkind = "folder"\npath = "dropbox/{f}"\n\n' for f in FORCE_CODES),
                       encoding="utf-8")
        settings.delivery_config = cfg
    try:
        from linkage.jobs.routing import dispatch_stats, route_all

        with console.status("routing referrals (SOCEX hub)"):
            decisions = route_all(store, settings, by="demo")
            stats = dispatch_stats(store)
        figures["routing"] = f"{len(decisions)} referrals assessed; {stats.get('by_status', stats) if isinstance(stats, dict) else stats}"
    except ImportError:
        figures["routing"] = "routing not installed"

    table = Table("stage", "result", title="Demo summary")
    for k, v in figures.items():
        table.add_row(k, v)
    console.print(table)
    counts = store.counts()
    ct = Table("what", "count", title="Store contents")
    for k, v in counts.items():
        ct.add_row(k, f"{v:,}")
    console.print(ct)
    console.print(f"next: [bold]linkage --store {store.describe()['location']} search 'nguyen'[/], "
                  "`linkage networks --cross-border`, `linkage serve`")
    summary["counts"] = counts
    return summary
