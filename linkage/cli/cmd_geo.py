"""`linkage geo import ONSPD.csv`: exact postcode -> police force area from the ONS directory."""

from __future__ import annotations

from pathlib import Path

import typer

from linkage.cli.context import console, state


def register(app: typer.Typer) -> None:
    geo_app = typer.Typer(help="Postcode to police force area.", no_args_is_help=True)

    @geo_app.command("import")
    def geo_import(ctx: typer.Context, path: Path) -> None:
        """Load the ONS Postcode Directory (or NSPL) CSV; its `pfa` column gives exact forces."""
        from ingest.geo import load_onspd
        from linkage.errors import UserError

        if not path.exists():
            raise UserError(f"no file {path}")
        st = state(ctx)
        n = load_onspd(path, st.settings.geo_file())
        console.print(f"{n:,} postcodes loaded into {st.settings.geo_file()}; ingest now uses them")

    @geo_app.command("force")
    def geo_force(ctx: typer.Context, postcode: str) -> None:
        """Which force a postcode falls in (exact table first, else the district table)."""
        from ingest.geo import ForceLookup

        st = state(ctx)
        f = st.settings.geo_file()
        lookup = ForceLookup(exact_path=f) if f.exists() else ForceLookup.shipped()
        console.print(lookup.force_for_postcode(postcode) or "unknown (no force is guessed)")

    app.add_typer(geo_app, name="geo")
