"""`linkage serve`: the HTTP API (FastAPI on uvicorn), owning the store in its process."""

from __future__ import annotations

import typer

from linkage.cli.context import state


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
        port: int = typer.Option(8000, "--port", help="TCP port."),
        log_level: str = typer.Option("info", "--log-level", help="debug | info | warning | error"),
    ) -> None:
        """Serve the HTTP API (/api/v1, docs at /docs) and the web app at / when it is built.

        The API opens the store itself at startup and shares it between requests; while it runs,
        other processes write through it (a CLI write gets a clear "store busy" message)."""
        from api.server import serve as run

        run(state(ctx).settings, host=host, port=port, log_level=log_level)
