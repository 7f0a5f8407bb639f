"""The FastAPI application: one store opened at startup and shared by every request.

The embedded store allows one writer process; the API is that process while it runs, and the
adapter serialises writers inside it with a lock, so concurrent requests are safe. With Neo4j,
several API processes can run side by side (see api/README.md).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from api import errors
from api.deps import API_PREFIX
from api.middleware import RequestContext
from linkage.settings import Settings

log = logging.getLogger("api")

UPLOAD_PATHS = (f"{API_PREFIX}/reports",)
UPLOAD_LIMIT = 20 * 1024 * 1024  # ingest uploads
BODY_LIMIT = 1024 * 1024  # JSON bodies elsewhere
STATIC_DIR = Path(__file__).resolve().parent / "static"

DESCRIPTION = """\
Intelligence linkage for modern slavery and human trafficking: ingest reports, search resolved
entities, follow links with their evidence, find linked venues and cross-border networks, run
the daily scan and route referrals to forces.

Every call needs a bearer token (`linkage users add NAME --role ROLE`). Every call that returns
personal data needs an `X-Purpose` header (an operation or case reference) and is written to the
hash-chained audit log. Errors have one body: `{"code", "message", "details"}`.
"""


def create_app(settings: Settings | None = None, *, static_dir: Path | None = STATIC_DIR) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from linkage.audit import AuditLog
        from linkage.errors import LinkageError
        from linkage.store import open_store
        from linkage.users import UserStore

        app.state.audit = AuditLog(settings.audit_file())
        app.state.users = UserStore.for_settings(settings)
        try:
            app.state.store = open_store(settings)
        except LinkageError as exc:
            log.error("cannot open the store: %s", exc.message)
            raise
        info = app.state.store.describe()
        log.info("store open: %s (schema v%s)", info.get("kind"), info.get("schema_version"))
        try:
            yield
        finally:
            store, app.state.store = app.state.store, None
            store.close()
            app.state.users.close()

    app = FastAPI(title="linkage API", version="1", description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.state.settings = settings
    app.state.store = None
    app.state.lookup = None
    errors.install(app)

    from api.routes import ROUTERS, health

    app.include_router(health.router)
    for router in ROUTERS:
        app.include_router(router)
    if static_dir is not None and static_dir.is_dir():
        from fastapi.staticfiles import StaticFiles

        app.mount("/", StaticFiles(directory=static_dir, html=True), name="web")
    app.add_middleware(RequestContext, upload_paths=UPLOAD_PATHS, upload_limit=UPLOAD_LIMIT,
                       body_limit=BODY_LIMIT)
    return app
