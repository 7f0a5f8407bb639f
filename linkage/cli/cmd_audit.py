"""`linkage audit verify` and `linkage audit show --report REF`: prove how and when a referral
was assessed and shared (HMICFRS recommendation 3), and that the log has not been changed."""

from __future__ import annotations


import typer
from rich.table import Table

from linkage.audit import current_actor
from linkage.cli.context import console, emit_json, state
from linkage.errors import LinkageError, NotFound


class AuditChainBroken(LinkageError):
    code = "audit_chain_broken"
    http_status = 409


# Details worth a column in the table, in this order; the rest are in --json.
_SUMMARY_KEYS = ("report_id", "to_force", "priority", "forces", "triage_reason", "reason", "outcome",
                 "error", "attempt", "idempotency_key", "dispatch_ids", "deadline", "was")


def report_trail(audit, store, ref: str) -> dict:
    """Every audit entry about a report (by source ref or report id) and its dispatches and triage
    items, in the order they were written."""
    subjects: set[str] = {ref}
    reports = []
    if store is not None:
        reports = store.reports_by_source_ref(ref)
        one = store.report(ref)
        if one is not None:
            reports.append(one)
        keys = {r["report_key"] for r in reports}
        for r in reports:
            subjects.update({r["report_id"], r["report_key"], r["source_ref"]})
        for d in store.list_docs("dispatches").values():
            if d.get("report_key") in keys:
                subjects.add(d["dispatch_id"])
        for t in store.list_docs("triage").values():
            if t.get("report_key") in keys:
                subjects.add(t["triage_id"])
    seen: dict[int, dict] = {}
    pending = list(subjects)
    while pending:  # entries name the dispatches they created; follow them
        s = pending.pop()
        for e in audit.entries(subject=s):
            if e["seq"] in seen:
                continue
            seen[e["seq"]] = e
            d = e["details"] if isinstance(e["details"], dict) else {}
            for did in (d.get("dispatch_ids") or []) + [d.get("dispatch_id"), d.get("triage_id")]:
                if did and did not in subjects:
                    subjects.add(did)
                    pending.append(did)
    if not seen and not reports:
        raise NotFound(f"nothing in the audit log or the store about report {ref}")
    entries = [seen[k] for k in sorted(seen)]
    return {"report": ref,
            "reports": [{k: r.get(k) for k in ("report_id", "kind", "source_ref", "organisation", "version",
                                                "reported_at", "received_at")} for r in reports],
            "subjects": sorted(subjects), "entries": entries}


def _summary(details: dict) -> str:
    parts = []
    for k in _SUMMARY_KEYS:
        v = details.get(k)
        if v in (None, "", [], {}):
            continue
        if isinstance(v, dict):
            v = ", ".join(v)
        elif isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        parts.append(f"{k}={v}")
    return "; ".join(parts)


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The hash-chained audit log: verify it, show a referral's trail.",
                            no_args_is_help=True)

    @audit_app.command("verify")
    def verify(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """Check the hash chain; exit 1 naming the first bad entry when it is broken."""
        st = state(ctx)
        path = st.settings.audit_file()
        if not path.exists():
            raise NotFound(f"no audit log at {path}")
        v = st.audit().verify()
        if as_json:
            emit_json({"ok": v.ok, "entries": v.entries, "first_bad": v.first_bad, "reason": v.reason,
                       "path": str(path)})
        elif v.ok:
            console.print(f"[green]audit log intact[/]: {v.entries:,} entries, chain verified ({path})")
        if not v.ok:  # exit 1 with one line naming the entry (the CLI renders LinkageErrors)
            raise AuditChainBroken(f"audit log broken at entry {v.first_bad}: {v.reason} ({path})",
                                   details={"first_bad": v.first_bad, "entries": v.entries})

    @audit_app.command("show")
    def show(ctx: typer.Context,
             report: str = typer.Option(..., "--report", help="The report's source ref (or report id)."),
             as_json: bool = typer.Option(False, "--json")) -> None:
        """How and when a referral was assessed and shared: every entry about it and its dispatches."""
        st = state(ctx)
        log = st.audit()
        trail = report_trail(log, st.store(), report)
        log.append("consult_audit_trail", actor=current_actor(), report=report, entries=len(trail["entries"]))
        if as_json:
            emit_json(trail)
            return
        for r in trail["reports"]:
            console.print(f"[bold]{r['kind']} {r['source_ref']}[/] v{r['version']} from {r['organisation']}: "
                          f"reported {r['reported_at']}, received {r['received_at']}")
        table = Table("#", "at (UTC)", "who", "action", "about", "what", title=f"Audit trail of {report}")
        for e in trail["entries"]:
            table.add_row(str(e["seq"]), e["at"][:19].replace("T", " "), e["actor"], e["action"],
                          e.get("subject") or "", _summary(e["details"]))
        console.print(table)

    app.add_typer(audit_app, name="audit")
