"""`linkage ingest PATH...`: read report files into the store, with a progress bar and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from linkage.cli.context import console, emit_json, state
from linkage.errors import UserError

KIND_CHOICES = ("auto", "nrm", "dtn", "intel", "referral")


def force_lookup(settings):
    """The exact postcode table when one was imported, else the shipped district table."""
    from ingest.geo import ForceLookup

    path = settings.geo_file()
    if path.exists():
        return ForceLookup(exact_path=path)
    return ForceLookup.shipped()


def register(app: typer.Typer) -> None:
    # --batch-size defaults to ingest.run.FILE_BATCH (spelt out: importing the ingest stack
    # would slow every command's start; tests/test_cli.py checks that the two agree)
    @app.command()
    def ingest(
        ctx: typer.Context,
        paths: list[Path] = typer.Argument(..., help="Report files (.json, .jsonl, .ndjson, .csv) or folders."),
        kind: str = typer.Option("auto", "--kind", help="Report kind: auto (each payload's `kind`), nrm, dtn, intel or referral."),
        batch_size: int = typer.Option(10_000, "--batch-size", min=1, max=100_000, help="Reports per store transaction."),
        workers: Optional[int] = typer.Option(None, "--workers", min=0, max=16, help="Processes that parse while this one writes (default: by input size)."),
        as_json: bool = typer.Option(False, "--json", help="Machine-readable summary."),
    ) -> None:
        """Ingest NRM, Duty to Notify, intelligence and partner referral reports.

        Bad reports are rejected (field and reason) and kept whole in a rejects file; the rest go in.
        """
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn)

        from ingest.reader import estimate_reports
        from ingest.run import default_workers, ingest_files

        kind = kind.strip().lower()
        if kind not in KIND_CHOICES:
            raise UserError(f"--kind must be one of {', '.join(KIND_CHOICES)}, not {kind!r}")
        missing = [str(p) for p in paths if not p.exists()]
        if len(missing) == len(paths):
            raise UserError(f"no such file: {', '.join(missing)}")
        st = state(ctx)
        store = st.store()
        lookup = force_lookup(st.settings)
        estimate = estimate_reports(paths)
        n_workers = default_workers(estimate) if workers is None else workers
        with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True,
                      disable=as_json) as progress:
            task = progress.add_task("ingest", total=estimate)

            def on_progress(done: int) -> None:
                total = progress.tasks[0].total
                if total is not None and done > total:
                    progress.update(task, total=done)
                progress.update(task, completed=done)

            result = ingest_files(store, paths, kind=kind, lookup=lookup, batch_size=batch_size,
                                  on_progress=on_progress, workers=n_workers,
                                  expected_reports=estimate)
        summary = result.summary()
        try:
            from linkage.audit import current_actor

            st.audit().append("ingest", actor=current_actor(), files=[str(p) for p in paths],
                              kind=kind, by_status=summary["by_status"],
                              report_ids=[r.report_id for r in result.results
                                          if r.status in ("accepted", "new_version")][:10_000])
        except ImportError:  # pragma: no cover - the audit log ships with the CLI
            pass
        if as_json:
            emit_json({**summary, "rejected": [r.to_dict() for r in result.rejected[:1000]]})
        else:
            _print_summary(result, summary)
        if not result.read_any:
            raise UserError("nothing could be read from " + ", ".join(map(str, paths))
                            + (f" (reasons in {result.rejects_path})" if result.rejects_path else ""))


def _print_summary(result, summary: dict) -> None:
    from rich.table import Table

    statuses = ("accepted", "new_version", "unchanged", "rejected")
    table = Table("kind", *statuses, "total", title="Reports")
    for kind, counts in summary["by_kind"].items():
        table.add_row(kind if kind != "unknown" else "(unknown kind)", *(f"{counts[s]:,}" for s in statuses), f"{sum(counts.values()):,}")
    tot = summary["by_status"]
    table.add_row("[bold]all[/]", *(f"[bold]{tot[s]:,}[/]" for s in statuses),
                  f"[bold]{sum(tot.values()):,}[/]")
    console.print(table)
    if summary["records"]:
        rt = Table("record type", "records written", title="Records")
        for t, n in summary["records"].items():
            rt.add_row(t, f"{n:,}")
        rt.add_row("[dim]links[/]", f"[dim]{summary['links']:,}[/]")
        console.print(rt)
    for note in summary["notes"]:
        console.print(f"[yellow]note:[/] {note}")
    warned = [r for r in result.results if r.warnings]
    if warned:
        console.print(f"[yellow]{len(warned):,} report(s) with warnings[/], e.g. "
                      f"{warned[0].location}: {warned[0].warnings[0]}")
    seconds = max(summary["seconds"], 1e-9)
    n = summary["reports"]
    console.print(f"{n:,} report(s) in {summary['seconds']:.1f} s ({n / seconds:,.0f}/s): "
                  f"{tot['accepted']:,} accepted, {tot['new_version']:,} new versions, "
                  f"{tot['unchanged']:,} unchanged (already held), {tot['rejected']:,} rejected")
    rejected = result.rejected
    if rejected:
        rj = Table("where", "source_ref", "field", "reason", title=f"Rejected ({len(rejected):,}; first few)")
        for r in rejected[:8]:
            rj.add_row(Path(r.location).name, r.source_ref or "", r.field or "", r.reason or "")
        console.print(rj)
        console.print(f"[yellow]{len(rejected):,} report(s) rejected[/]; the others went in. "
                      f"Rejected input is kept whole in {result.rejects_path}")
    elif tot["unchanged"] and not (tot["accepted"] or tot["new_version"]):
        console.print("nothing new: every report was already held (unchanged)")
