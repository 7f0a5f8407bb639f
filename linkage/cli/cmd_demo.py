"""`linkage demo`: the main job end to end on the embedded store, for `make demo`."""

from __future__ import annotations

from pathlib import Path

import typer

from linkage.cli.context import console, state


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        ctx: typer.Context,
        reports: int = typer.Option(3000, "--reports", help="How many synthetic reports to generate."),
        seed: int = typer.Option(7, "--seed"),
        out: Path = typer.Option(Path("demo-out"), "--out", help="Folder for generated data and outputs."),
    ) -> None:
        """Generate sample data, ingest, resolve, scan, route and print a summary."""
        from linkage.jobs.demo import run_demo

        run_demo(state(ctx), reports=reports, seed=seed, out=out, console=console)
