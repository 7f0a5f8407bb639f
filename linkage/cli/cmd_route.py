"""SOCEX hub commands: route, deliver, dispatches, dispatch ack|reject|resend|show, triage."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from linkage.audit import current_actor
from linkage.cli.context import console, emit_json, err_console, state


def _hours(h: float | None) -> str:
    if h is None:
        return "-"
    return f"{h:.1f}h" if h < 72 else f"{h / 24:.1f}d"


def _short(ts: str | None) -> str:
    return (ts or "-")[:16].replace("T", " ")


def _reasons(forces: list[dict]) -> str:
    return "; ".join(f"{f['force']}: " + ", ".join(sorted({r['basis'] for r in f['reasons']})) for f in forces)


def register(app: typer.Typer) -> None:
    @app.command()
    def route(
        ctx: typer.Context,
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the decisions; create and send nothing."),
        by: Optional[str] = typer.Option(None, "--by", help="Who is assessing (default: LINKAGE_USER or USER)."),
        limit: int = typer.Option(50, "--limit", min=0, help="Decisions shown in the table."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Send each new referral to the force(s) that must act, then deliver what is due.

        Every NRM form, Duty to Notify and partner referral not routed yet is assessed; a report
        routed once is not routed again, a new version of it is."""
        from linkage.jobs.delivery import deliver_due
        from linkage.jobs.routing import route_all, unresolved_count

        st = state(ctx)
        store = st.store()
        who = by or current_actor()
        waiting = unresolved_count(store)
        if waiting and not as_json:
            err_console.print(f"[yellow]note:[/] {waiting:,} records are not resolved yet; run "
                              "`linkage resolve` first so victims and owners are followed across reports")
        decisions = route_all(store, st.settings, dry_run=dry_run, by=who, deliver=False)
        delivery = None if dry_run else deliver_due(store, st.settings)
        if as_json:
            emit_json({"dry_run": dry_run, "decisions": decisions,
                       "delivery": None if delivery is None else {k: v for k, v in delivery.items() if k != "results"}})
            return
        if not decisions:
            console.print("nothing to route: every referral has been assessed")
        else:
            table = Table("report", "kind", "priority", "forces and why", "triage",
                          title=f"Routing decisions ({len(decisions)}){' - dry run' if dry_run else ''}")
            shown = sorted(decisions, key=lambda d: (not d["triage_reason"], d["priority"] != "immediate"))[:limit]
            for d in shown:
                table.add_row(d["source_ref"], d["kind"],
                              f"[red]{d['priority']}[/]" if d["priority"] == "immediate" else d["priority"],
                              _reasons(d["forces"]) or "-", d["triage_reason"] or "")
            console.print(table)
            if len(decisions) > len(shown):
                console.print(f"... and {len(decisions) - len(shown):,} more (triage and immediate first; "
                              "--limit N or --json for all)")
            sent = sum(len(d["forces"]) for d in decisions)
            triaged = sum(1 for d in decisions if d["triage_reason"])
            console.print(f"{len(decisions):,} assessed: {sent:,} dispatch(es), {triaged:,} to triage"
                          + (" (dry run: nothing created)" if dry_run else ""))
        if delivery is not None:
            _print_delivery(delivery)

    @app.command()
    def deliver(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """Deliver every outbox item that is due (new dispatches and retries)."""
        from linkage.jobs.delivery import deliver_due

        st = state(ctx)
        out = deliver_due(st.store(), st.settings)
        if as_json:
            emit_json(out)
            return
        _print_delivery(out)
        failed = [r for r in out["results"] if r["outcome"] not in ("delivered", "no_target")]
        for r in failed[:20]:
            console.print(f"  {r['dispatch_id']} -> {r['force']}: [red]{r['error']}[/] "
                          f"(attempt {r['attempts']}, next {_short(r['next_attempt_at'])})")
        if len(failed) > 20:
            console.print(f"  ... and {len(failed) - 20:,} more: `linkage dispatches --status failed`")

    @app.command()
    def dispatches(
        ctx: typer.Context,
        force: Optional[str] = typer.Option(None, "--force", help="Only this force (code)."),
        status: Optional[list[str]] = typer.Option(None, "--status", help="Only these statuses (repeat): pending, sent, failed, acknowledged, rejected, superseded."),
        overdue: bool = typer.Option(False, "--overdue", help="Only dispatches past their deadline and not acknowledged."),
        stats: bool = typer.Option(False, "--stats", help="Timings per force: median/max hours per stage, counts by status."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Dispatches with their status and timings (received -> assessed -> sent -> acknowledged)."""
        from linkage.jobs.routing import dispatch_stats, list_dispatches

        st = state(ctx)
        store = st.store()
        if stats:
            out = dispatch_stats(store)
            st.audit().append("consult_dispatch_stats", actor=current_actor())
            if as_json:
                emit_json(out)
                return
            _print_stats(out)
            return
        items = list_dispatches(store, force=force, status=status or None, overdue=overdue)
        st.audit().append("consult_dispatches", actor=current_actor(), count=len(items),
                          filters={"force": force, "status": status, "overdue": overdue})
        if as_json:
            emit_json(items)
            return
        table = Table("dispatch", "report", "force", "priority", "status", "assessed", "-> sent",
                      "-> ack", "deadline", "note", title=f"Dispatches ({len(items)})")
        for d in items:
            h = d["timings"]["hours"]
            note = []
            if d["overdue"]:
                note.append("[red]OVERDUE[/]")
            if d["timings"]["acknowledged_late"]:
                note.append("acknowledged late")
            err = (d.get("delivery") or {}).get("last_error")
            if err and d["status"] == "failed":
                note.append(err[:40])
            status_txt = {"failed": "[red]failed[/]", "acknowledged": "[green]acknowledged[/]",
                          "rejected": "[yellow]rejected[/]"}.get(d["status"], d["status"])
            table.add_row(d["dispatch_id"], f"{d['kind']} {d['source_ref']}", d["force"],
                          d["priority"], status_txt, _short(d["created_at"]),
                          _hours(h["assessed_to_sent"]), _hours(h["sent_to_acknowledged"]),
                          _short(d["deadline"]), " ".join(note))
        console.print(table)

    dispatch_app = typer.Typer(help="Acknowledge, reject, resend or show one dispatch.", no_args_is_help=True)

    @dispatch_app.command("ack")
    def dispatch_ack(ctx: typer.Context, dispatch_id: str,
                     by: str = typer.Option(..., "--by", help="Who at the force acknowledges it."),
                     reason: Optional[str] = typer.Option(None, "--reason"),
                     as_json: bool = typer.Option(False, "--json")) -> None:
        """The force has the referral and will act on it."""
        from linkage.jobs.routing import ack_dispatch

        st = state(ctx)
        d = ack_dispatch(st.store(), st.settings, dispatch_id, by=by, reason=reason)
        _done(d, as_json, f"dispatch {dispatch_id} to {d['force']} acknowledged by {by}")

    @dispatch_app.command("reject")
    def dispatch_reject(ctx: typer.Context, dispatch_id: str,
                        by: str = typer.Option(..., "--by"),
                        reason: str = typer.Option(..., "--reason", help="Why it is not for this force."),
                        as_json: bool = typer.Option(False, "--json")) -> None:
        """The force says it is not theirs: the referral goes back to the hub's triage queue."""
        from linkage.jobs.routing import reject_dispatch

        st = state(ctx)
        d = reject_dispatch(st.store(), st.settings, dispatch_id, by=by, reason=reason)
        _done(d, as_json, f"dispatch {dispatch_id} rejected by {d['force']}; back in triage")

    @dispatch_app.command("resend")
    def dispatch_resend(ctx: typer.Context, dispatch_id: str,
                        by: str = typer.Option(..., "--by"),
                        as_json: bool = typer.Option(False, "--json")) -> None:
        """Deliver a dispatch again (after a failure, a rejection, or when a force lost it)."""
        from linkage.jobs.routing import resend_dispatch

        st = state(ctx)
        d = resend_dispatch(st.store(), st.settings, dispatch_id, by=by)
        err = (d.get("delivery") or {}).get("last_error")
        _done(d, as_json, f"dispatch {dispatch_id} to {d['force']}: {d['status']}" + (f" ({err})" if err else ""))

    @dispatch_app.command("show")
    def dispatch_show(ctx: typer.Context, dispatch_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
        """One dispatch: its reasons, history and delivery."""
        from linkage.errors import NotFound
        from linkage.jobs.routing import list_dispatches

        st = state(ctx)
        found = [d for d in list_dispatches(st.store()) if d["dispatch_id"] == dispatch_id]
        if not found:
            raise NotFound(f"no dispatch {dispatch_id}")
        d = found[0]
        st.audit().append("consult_dispatch", actor=current_actor(), subject=dispatch_id)
        if as_json:
            emit_json(d)
            return
        console.print(f"[bold]{d['dispatch_id']}[/] {d['kind']} {d['source_ref']} -> {d['force_name']} "
                      f"({d['priority']}, {d['status']}{', OVERDUE' if d['overdue'] else ''})")
        console.print(f"handling: {d.get('handling') or '-'}  conditions: {d.get('conditions') or '-'}  "
                      f"deadline: {_short(d['deadline'])}")
        for r in d["reasons"]:
            console.print(f"  why: [{r['basis']}] {r['detail']}")
        for r in d.get("priority_reasons") or []:
            console.print(f"  priority: {r}")
        table = Table("status", "by", "at", "reason", title="History")
        for h in d["history"]:
            table.add_row(h["status"], h["by"], _short(h["at"]), h.get("reason") or "")
        console.print(table)
        dl = d.get("delivery") or {}
        console.print(f"delivery: key {dl.get('idempotency_key')}, {dl.get('attempts', 0)} attempt(s), "
                      f"target {dl.get('target') or '-'}, last error {dl.get('last_error') or '-'}")

    app.add_typer(dispatch_app, name="dispatch")

    triage_app = typer.Typer(help="The hub's triage queue: referrals no force could be found for, "
                                  "and dispatches a force rejected.", invoke_without_command=True)

    @triage_app.callback()
    def triage(ctx: typer.Context, as_json: bool = typer.Option(False, "--json"),
               closed: bool = typer.Option(False, "--all", help="Closed items too.")) -> None:
        """List the open triage items (immediate first, oldest first)."""
        if ctx.invoked_subcommand is not None:
            return
        from linkage.jobs.routing import triage_queue

        st = state(ctx)
        items = triage_queue(st.store(), include_closed=closed)
        st.audit().append("consult_triage", actor=current_actor(), count=len(items))
        if as_json:
            emit_json(items)
            return
        table = Table("triage", "report", "priority", "since", "why", "status", title=f"Triage ({len(items)})")
        for t in items:
            why = t["reason"] + ("; " + "; ".join(t["notes"]) if t.get("notes") else "")
            if t.get("submitting_force"):
                why += f" (submitted by {t['submitting_force']})"
            table.add_row(t["triage_id"], f"{t['kind']} {t['source_ref']}", t.get("priority") or "",
                          _short(t["at"]), why, t["status"])
        console.print(table)

    @triage_app.command("assign")
    def triage_assign(ctx: typer.Context, triage_id: str,
                      force: str = typer.Option(..., "--force", help="Force code to send it to."),
                      by: str = typer.Option(..., "--by"),
                      reason: str = typer.Option(..., "--reason"),
                      as_json: bool = typer.Option(False, "--json")) -> None:
        """Send a triage item to a force chosen by the hub."""
        from linkage.jobs.routing import assign_triage

        st = state(ctx)
        d = assign_triage(st.store(), st.settings, triage_id, force=force, by=by, reason=reason)
        _done(d, as_json, f"{triage_id} assigned: dispatch {d['dispatch_id']} to {d['force']} ({d['status']})")

    @triage_app.command("close")
    def triage_close(ctx: typer.Context, triage_id: str, by: str = typer.Option(..., "--by"),
                     reason: str = typer.Option(..., "--reason"),
                     as_json: bool = typer.Option(False, "--json")) -> None:
        """Close a triage item without sending it (a duplicate, not a police matter ...)."""
        from linkage.jobs.routing import close_triage

        st = state(ctx)
        t = close_triage(st.store(), st.settings, triage_id, by=by, reason=reason)
        _done(t, as_json, f"{triage_id} closed")

    app.add_typer(triage_app, name="triage")


def _done(doc: dict, as_json: bool, message: str) -> None:
    if as_json:
        emit_json(doc)
    else:
        console.print(message)


def _print_delivery(out: dict) -> None:
    console.print(f"delivery: {out['attempted']} attempted, {out['delivered']} delivered, "
                  f"{out['retrying']} to retry, {out['gave_up']} gave up, {out['waiting']} waiting"
                  + (f", {out['awaiting_target']} awaiting a delivery target for their force"
                     if out.get("awaiting_target") else ""))


def _print_stats(out: dict) -> None:
    stages = ("received_to_assessed", "assessed_to_sent", "sent_to_acknowledged", "received_to_acknowledged")
    table = Table("force", "total", "pending", "sent", "failed", "ack", "rejected", "overdue",
                  *(s.replace("_to_", "->") + " med/max" for s in stages),
                  title=f"Dispatch timings per force (as of {_short(out['as_of'])})")
    for f, s in out["forces"].items():
        c = s["by_status"]
        table.add_row(f, str(s["dispatches"]), str(c["pending"]), str(c["sent"]), str(c["failed"]),
                      str(c["acknowledged"]), str(c["rejected"]),
                      f"[red]{s['overdue']}[/]" if s["overdue"] else "0",
                      *(f"{_hours(s['stages'][x]['median_hours'])}/{_hours(s['stages'][x]['max_hours'])}"
                        for x in stages))
    console.print(table)
    t = out
    console.print(f"{t['dispatches']} dispatches, {t['overdue']} overdue; "
                  + ", ".join(f"{k} {v}" for k, v in t["by_status"].items() if v))
