"""Force scope: a `force` user sees only the dispatches sent to its force, and the reports,
records and entities those dispatches disclose. Everything else is 403 for them."""

from __future__ import annotations

from api.errors import Forbidden


def dispatch_report_ids(dispatch: dict) -> list[str]:
    ids = list(dispatch.get("report_ids") or [])
    if dispatch.get("report_id"):
        ids.append(dispatch["report_id"])
    return sorted({i for i in ids if i})


def own_dispatches(store, force: str, **filters) -> list[dict]:
    from linkage.jobs.routing import list_dispatches

    return [d for d in list_dispatches(store, force=force, **filters) if d.get("force") == force]


def disclosed_report_ids(store, force: str) -> set[str]:
    return {rid for d in own_dispatches(store, force) for rid in dispatch_report_ids(d)}


def check_dispatch(caller, dispatch: dict) -> None:
    if caller.force_scoped and dispatch.get("force") != caller.force:
        raise Forbidden("this dispatch was sent to another force")


def scope_report(caller, store, report: dict) -> None:
    if caller.force_scoped and report["report_id"] not in disclosed_report_ids(store, caller.force):
        raise Forbidden("this report has not been dispatched to your force")


def scope_entity(caller, store, entity: dict) -> dict:
    """The entity as a force user may see it: only records and reports dispatched to its force."""
    if not caller.force_scoped:
        return entity
    allowed = disclosed_report_ids(store, caller.force)
    records = [r for r in entity.get("records", []) if r.get("report_id") in allowed]
    if not records:
        raise Forbidden("nothing about this entity has been dispatched to your force")
    reports = [r for r in entity.get("reports", []) if r.get("report_id") in allowed]
    return {**entity, "records": records, "reports": reports, "scoped_to_force": caller.force}
