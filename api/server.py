"""Run the API on uvicorn (`linkage serve`): no access log (it would carry query strings);
our own access line is path-template only, with the request id."""

from __future__ import annotations

import logging
import sys

from api.middleware import RequestIdFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class _NoTracebackForUserErrors(logging.Filter):
    """uvicorn logs a failed startup with a traceback; for our own errors (e.g. the store is
    busy) the API has already logged the one line that says what to do."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not (text.startswith("Traceback") and "linkage.errors." in text)


def configure_logging(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(_NoTracebackForUserErrors())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry full URLs


def serve(settings, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    import uvicorn

    from api.app import create_app

    configure_logging(log_level)
    config = uvicorn.Config(create_app(settings), host=host, port=port, access_log=False,
                            log_config=None, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=10)
    server = uvicorn.Server(config)
    try:
        server.run()
    except SystemExit as exc:
        if server.started or not exc.code:
            raise
    if not server.started:
        from linkage.errors import UserError

        raise UserError(f"the API did not start on {host}:{port} (the reason is in the log above)")
