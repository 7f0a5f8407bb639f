"""One router per resource; each route declares its roles with `Depends(Allow(...))`."""

from api.routes import (  # noqa: F401
    admin, dispatches, entities, health, judgements, networks, reports, scans, search, venues,
)

ROUTERS = [reports.router, search.router, entities.router, venues.router, networks.router,
           judgements.router, scans.router, dispatches.router, admin.router]
