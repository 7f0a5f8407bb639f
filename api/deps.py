"""What every route gets through `Depends`: the settings, the store, the audit log, and the
caller (an authenticated user with a role, its force, and the stated purpose).

Each route declares who may call it with `Depends(Allow(...roles))`; the auth-matrix test reads
those declarations from the route table. Order of refusals: no or bad token 401, wrong role 403,
no stated purpose 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Forbidden, PurposeRequired, Unauthorized
from linkage.errors import StoreError
from linkage.model import FORCE_CODES
from linkage.users import Role, User

API_PREFIX = "/api/v1"

ANALYST, HUB, FORCE, INGEST, ADMIN = (Role.ANALYST.value, Role.HUB.value, Role.FORCE.value,
                                      Role.INGEST.value, Role.ADMIN.value)
READERS = (ANALYST, HUB)  # read the graph, search, networks, scans (admin is always allowed)

ForceCode = Annotated[Literal[FORCE_CODES] | None,  # type: ignore[valid-type]
                      Query(description="A force code, e.g. west-midlands.")]

MAX_PURPOSE = 200
PURPOSE_HELP = ("Why you are consulting this data: an operation name or case reference "
                "(required for every request that returns personal data; it is written to the "
                "audit log with who you are and what was returned, DPA 2018 s.62).")

bearer = HTTPBearer(auto_error=False, description="A token from `linkage users add NAME --role ROLE`.")


# The dependencies below are coroutines although they do not await anything: FastAPI runs a
# plain-function dependency in its thread pool, and under load each of those hops (a thread
# handoff and a wait for the GIL) cost more than the work itself.

async def get_settings(request: Request):
    return request.app.state.settings


async def get_store(request: Request):
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise StoreError("the store is not open (the API is starting or stopping)")
    return store


async def get_audit(request: Request):
    return request.app.state.audit


def force_lookup(request: Request):
    """The postcode -> force lookup ingest uses (loaded once, on first use)."""
    state = request.app.state
    if getattr(state, "lookup", None) is None:
        from linkage.cli.cmd_ingest import force_lookup as load

        state.lookup = load(state.settings)
    return state.lookup


@dataclass
class Caller:
    """The authenticated user of this request, and why they are asking."""

    user: User
    purpose: str | None
    request: Request

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def force(self) -> str | None:
        return self.user.force

    @property
    def force_scoped(self) -> bool:
        """A force user sees only what was dispatched to its force."""
        return self.user.role == FORCE

    def endpoint(self) -> str:
        route = self.request.scope.get("route")
        return f"{self.request.method} {getattr(route, 'path', self.request.url.path)}"

    def audit(self, action: str, *, subject: str | None = None, entity_ids=(), params: dict | None = None,
              **details: Any) -> dict:
        """One audit entry for this consultation or disclosure: who, role, force, purpose,
        endpoint, parameters, the entity ids returned, and (in the entry) the time."""
        p = dict(self.request.path_params)
        for k in self.request.query_params.keys():
            vals = self.request.query_params.getlist(k)
            p[k] = vals if len(vals) > 1 else vals[0]
        if params:
            p.update(params)
        return self.request.app.state.audit.append(
            action, actor=self.user.name, role=self.user.role, force=self.user.force,
            purpose=self.purpose, subject=subject, endpoint=self.endpoint(), params=p,
            entity_ids=sorted({e for e in entity_ids if e}),
            request_id=self.request.scope.get("linkage.request_id"), **details)


def _authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> User:
    if credentials is None or (credentials.scheme or "").lower() != "bearer" or not credentials.credentials:
        raise Unauthorized("send a bearer token (Authorization: Bearer TOKEN) from `linkage users add`")
    user = request.app.state.users.authenticate(credentials.credentials)
    if user is None:
        raise Unauthorized("the bearer token is not valid or was revoked")
    return user


class _Allow:
    purpose = False

    def __init__(self, roles: tuple[str, ...]):
        self.roles = frozenset(roles) | {ADMIN}

    def _check(self, request: Request, credentials, purpose: str | None) -> Caller:
        user = _authenticate(request, credentials)
        if user.role not in self.roles:
            raise Forbidden(f"the {user.role} role may not use this endpoint "
                            f"(allowed: {', '.join(sorted(self.roles))})")
        if self.purpose:
            purpose = (purpose or "").strip()
            if not purpose:
                raise PurposeRequired(
                    "state the purpose of this request in the X-Purpose header (an operation name "
                    "or case reference): every consultation of personal data is logged with it")
            if len(purpose) > MAX_PURPOSE:
                raise PurposeRequired(f"the X-Purpose header is over {MAX_PURPOSE} characters")
        return Caller(user, purpose or None, request)

    async def __call__(self, request: Request,
                       credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
        return self._check(request, credentials, None)


class _AllowWithPurpose(_Allow):
    purpose = True

    async def __call__(self, request: Request,
                       credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
                       x_purpose: Annotated[str | None, Header(alias="X-Purpose", description=PURPOSE_HELP)] = None
                       ) -> Caller:
        return self._check(request, credentials, x_purpose)


def Allow(*roles: str, purpose: bool = True) -> _Allow:  # noqa: N802 - reads as a declaration
    """Who may call a route (admin always may), and whether it needs a stated purpose."""
    return _AllowWithPurpose(roles) if purpose else _Allow(roles)


def route_access(route) -> _Allow | None:
    """The Allow declaration of a route (None for public routes such as /healthz)."""
    dependant = getattr(route, "dependant", None)
    stack = list(dependant.dependencies) if dependant else []
    while stack:
        d = stack.pop()
        if isinstance(d.call, _Allow):
            return d.call
        stack.extend(d.dependencies)
    return None


def route_table(app) -> list[dict]:
    """Every route with its methods, its path, who may call it and whether it needs a purpose."""
    from fastapi.routing import iter_route_contexts

    out = []
    for r in iter_route_contexts(app.routes):
        methods = sorted(m for m in (r.methods or ()) if m != "HEAD")
        if not methods or r.path is None:
            continue
        access = route_access(r)
        out.append({"methods": methods, "path": r.path,
                    "roles": sorted(access.roles) if access else None,
                    "purpose": bool(access and access.purpose)})
    return out
