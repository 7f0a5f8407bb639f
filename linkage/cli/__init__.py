"""The `linkage` command line (Typer + rich).

Exit codes: 0 ok; 1 a user error, shown as one line that says what to do; 2 an internal error,
logged without personal data. Command groups live in their own modules and register here.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Optional

import typer

try:  # typer >= 0.20 vendors click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc

from linkage.cli.context import AppState, console, err_console, emit_json, state
from linkage.errors import LinkageError
from linkage.settings import Settings

app = typer.Typer(
    name="linkage",
    help="Graph-based intelligence linkage for modern slavery and human trafficking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

log = logging.getLogger("linkage")


@app.callback()
def root(
    ctx: typer.Context,
    store: Optional[Path] = typer.Option(None, "--store", help="Embedded store path (env LINKAGE_STORE)."),
    neo4j_uri: Optional[str] = typer.Option(None, "--neo4j-uri", help="Use Neo4j at this Bolt URI (env LINKAGE_NEO4J_URI)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr (never personal data)."),
) -> None:
    overrides = {}
    if store is not None:
        overrides["store"] = store
    if neo4j_uri is not None:
        overrides["neo4j_uri"] = neo4j_uri
    settings = Settings(**overrides)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = AppState(settings)
    ctx.call_on_close(ctx.obj.close)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the store and its schema (safe to run again)."""
    st = state(ctx)
    info = st.store().describe()
    console.print(f"[green]store ready[/] {info['kind']} at {info['location']} (schema v{info['schema_version']})")


@app.command()
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Where the store is, its schema version and what it holds."""
    from rich.table import Table

    st = state(ctx)
    store = st.store(read_only=False)
    info = store.describe()
    counts = store.counts()
    if as_json:
        emit_json({"store": info, "counts": counts})
        return
    console.print(f"store: {info['kind']} at {info['location']}  schema v{info['schema_version']}")
    table = Table("what", "count", title="Contents")
    for k, v in counts.items():
        table.add_row(k, f"{v:,}")
    console.print(table)


_EXPORT: typer.Typer | None = None


def export_group(root: typer.Typer) -> typer.Typer:
    """The shared `linkage export ...` group; command modules add their exports to it."""
    global _EXPORT
    if _EXPORT is None:
        _EXPORT = typer.Typer(help="Export resolution results and graphs for other tools.", no_args_is_help=True)
        root.add_typer(_EXPORT, name="export")
    return _EXPORT


def _register() -> None:
    """Attach the command modules that exist (each stage adds its own)."""
    import importlib
    import pkgutil

    import linkage.cli as pkg

    for mod in sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)):
        if mod.startswith("cmd_"):
            module = importlib.import_module(f"linkage.cli.{mod}")
            module.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name="linkage", standalone_mode=False)
        # without standalone mode, `raise typer.Exit(n)` comes back as a return value
        return _exit(rv) if isinstance(rv, int) and rv else 0
    except LinkageError as exc:
        err_console.print(f"[red]error:[/] {exc.message}")
        return _exit(1)
    except typer.Exit as exc:
        return _exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        return _exit(1)
    except click_exc.ClickException as exc:
        exc.show()
        return _exit(1)
    except KeyboardInterrupt:
        return _exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no tracebacks for users
        log.error("internal error (%s)", type(exc).__name__, exc_info=log.isEnabledFor(logging.INFO))
        err_console.print(f"[red]internal error:[/] {type(exc).__name__}; details are in the log (run with -v)")
        return _exit(2)


def _exit(code: int) -> int:
    if __name__ != "__main__":
        sys.exit(code)
    return code
