"""`linkage scan` (once, or on a schedule), `linkage scans` (history) and `linkage hubs` (the
known-hub exclusion list). The work is in linkage/jobs/scan.py; this module opens the store,
renders the result and keeps the clock for `--every`."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from linkage.audit import current_actor
from linkage.cli.context import console, emit_json, err_console, state
from linkage.errors import LinkageError, StoreBusy, UserError

log = logging.getLogger(__name__)

API_HINT = "POST /api/v1/scans on the running API"


def _busy_message(settings, exc: StoreBusy) -> str:
    return (f"{exc.message}\nThe embedded store allows one read-write process, so this scan "
            "cannot record itself while that process runs. Either:\n"
            f"  - run the scan inside the API, which records it ({API_HINT}, e.g. "
            "`curl -X POST -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:8000/api/v1/scans`); or\n"
            "  - scan a read-only snapshot of the store without recording it: add --read-only to "
            "this command (the outputs are written; the next scan will not compare with it).")


def _open(settings, *, read_only: bool, for_scan: bool = True):
    from linkage.store import open_store

    try:
        return open_store(settings, read_only=read_only)
    except StoreBusy as exc:
        if not for_scan:
            raise UserError(f"{exc.message}\nThe known-hub list is kept in the store, which only the "
                            "process that owns it can change: stop that process (e.g. `linkage "
                            "serve`), run this command, then start it again.", code="store_busy") from None
        raise UserError(_busy_message(settings, exc), code="store_busy") from None


def _open_for_read(settings):
    """The store read-write if it is free, else a read-only snapshot (read commands only)."""
    from linkage.store import open_store

    try:
        return open_store(settings)
    except StoreBusy:
        return open_store(settings, read_only=True)


def _parse_date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--date {text!r}: give the date as YYYY-MM-DD") from None


def register(app: typer.Typer) -> None:
    hubs_app = typer.Typer(help="Known hubs the scan never flags: add, list, remove.", no_args_is_help=True)

    @app.command()
    def scan(
        ctx: typer.Context,
        on: Optional[str] = typer.Option(None, "--date", help="Scan date YYYY-MM-DD (default today); the window ends on it."),
        window_days: int = typer.Option(90, "--window-days", help="Days in the window, ending on --date."),
        min_reports: int = typer.Option(3, "--min-reports", help="Distinct reports (submission chains) that make a repeat."),
        force: Optional[str] = typer.Option(None, "--force", help="Only findings and alerts that concern this force (code)."),
        out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default ./scans/<date>/; with --every, runs go in <out>/<date>/)."),
        as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
        read_only: bool = typer.Option(False, "--read-only", help="Scan a read-only snapshot (works while `linkage serve` owns the store); the run is not recorded."),
        every: Optional[str] = typer.Option(None, "--every", help="Run on a schedule, e.g. 24h, until Ctrl-C."),
        at: Optional[str] = typer.Option(None, "--at", help="With --every: local time of day HH:MM (default LINKAGE_SCAN_AT for whole days)."),
        refresh_flags: bool = typer.Option(False, "--refresh-flags", help="Recompute entity flags first (they are refreshed after every resolution; slow on a large graph)."),
        networks: bool = typer.Option(True, "--networks/--no-networks", help="Alert on networks that newly cross a force boundary (finding networks is the slow part on a large graph)."),
    ) -> None:
        """Daily scan: repeat locations, people, phones, vehicles and accounts; what is new or
        escalating since the last scan; alerts. Writes JSON, CSV and an HTML report."""
        from linkage.jobs.scan import check_params, parse_at, parse_every

        st = state(ctx)
        force_code = check_params(window_days, min_reports, force)
        opts = {"window_days": window_days, "min_reports": min_reports, "force": force_code,
                "refresh_flags": refresh_flags, "networks": networks}
        if every is None:
            if at is not None:
                raise UserError("--at needs --every (e.g. --every 24h --at 06:00)")
            day = _parse_date(on)
            _run_once(st, day, opts, out or _default_out(Path("scans"), day, force_code), read_only, as_json)
            return
        if on is not None:
            raise UserError("--date cannot be used with --every: each scheduled run scans its own day")
        interval = parse_every(every)
        when = parse_at(at)
        if when is None and interval.total_seconds() % 86400 == 0:
            when = parse_at(st.settings.scan_at)
        _schedule(st, opts, out or Path("scans"), read_only, as_json, interval, when)

    @app.command()
    def scans(ctx: typer.Context, as_json: bool = typer.Option(False, "--json"),
              limit: int = typer.Option(30, "--limit", min=1, help="How many, newest first.")) -> None:
        """History of recorded scans, newest first."""
        from linkage.jobs.scan import scan_history

        st = state(ctx)
        store = _open_for_read(st.settings)
        try:
            items = scan_history(store)[:limit]
        finally:
            store.close()
        if as_json:
            emit_json(items)
            return
        table = Table("date", "force", "window", "reports", "findings", "new", "up", "alerts", "runs",
                      "ran (UTC)", title=f"Scans ({len(items)})")
        for h in items:
            c = h.get("counts") or {}
            f = c.get("findings") or {}
            tot = sum(v.get("total", 0) for v in f.values())
            new = sum(v.get("new", 0) for v in f.values())
            up = sum(v.get("escalating", 0) for v in f.values())
            p = h.get("params") or {}
            table.add_row(str(h.get("date")), h.get("force") or "all",
                          f"{p.get('window_days')}d, {p.get('min_reports')}+",
                          f"{c.get('reports_in_window', 0):,}", f"{tot:,}", f"{new:,}", f"{up:,}",
                          f"{sum((c.get('alerts') or {}).values()):,}", str(h.get("runs") or 1),
                          str(h.get("ran_at") or "")[:16].replace("T", " "))
        console.print(table)
        if not items:
            console.print("no scan recorded yet: run `linkage scan`")

    @hubs_app.command("add")
    def hubs_add(ctx: typer.Context,
                 target: str = typer.Argument(..., metavar="ENTITY_ID|POSTCODE"),
                 reason: str = typer.Option(..., "--reason", help="Why it recurs for benign reasons."),
                 as_json: bool = typer.Option(False, "--json")) -> None:
        """Never flag this entity (any type), or any location in this postcode."""
        from linkage.jobs.hubs import add_hub

        st = state(ctx)
        store = _open(st.settings, read_only=False, for_scan=False)
        try:
            hub = add_hub(store, target, reason=reason, by=current_actor())
        finally:
            store.close()
        st.audit().append("hub_add", actor=current_actor(), subject=hub["hub_id"], reason=reason)
        if as_json:
            emit_json(hub)
            return
        what = hub["label"] or hub["value"]
        console.print(f"known hub [bold]{hub['hub_id']}[/] ({what}) added: the scan will not flag it")

    @hubs_app.command("list")
    def hubs_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """Every known hub, why, who added it and when."""
        from linkage.jobs.hubs import list_hubs

        st = state(ctx)
        store = _open_for_read(st.settings)
        try:
            hubs = list_hubs(store)
        finally:
            store.close()
        if as_json:
            emit_json(hubs)
            return
        table = Table("hub", "what", "reason", "added by", "added at", title=f"Known hubs ({len(hubs)})")
        for h in hubs:
            table.add_row(h["hub_id"], h.get("label") or h.get("value") or "", h.get("reason") or "",
                          h.get("added_by") or "", h.get("added_at") or "")
        console.print(table)

    @hubs_app.command("remove")
    def hubs_remove(ctx: typer.Context,
                    targets: list[str] = typer.Argument(..., metavar="ENTITY_ID|POSTCODE...")) -> None:
        """Remove known hubs (by entity id, postcode or hub id)."""
        from linkage.jobs.hubs import remove_hubs

        st = state(ctx)
        store = _open(st.settings, read_only=False, for_scan=False)
        try:
            removed = remove_hubs(store, targets)
        finally:
            store.close()
        st.audit().append("hub_remove", actor=current_actor(), hubs=removed)
        console.print(f"{len(removed)} known hub(s) removed: {', '.join(removed)}")

    app.add_typer(hubs_app, name="hubs")


def _default_out(base: Path, day: date, force: str | None) -> Path:
    return base / (day.isoformat() if not force else f"{day.isoformat()}-{force}")


def _run_once(st, day: date, opts: dict, out_dir: Path, read_only: bool, as_json: bool) -> dict:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from linkage.jobs.scan import run_scan

    store = _open(st.settings, read_only=read_only)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=err_console, transient=True, disable=as_json) as progress:
            progress.add_task(f"scanning {day}", total=None)
            result = run_scan(store, st.settings, on=day, out_dir=out_dir, record=not read_only, **opts)
    finally:
        store.close()
    st.audit().append("scan", actor=current_actor(), subject=result["scan_id"], date=result["date"],
                      params=result["params"], recorded=result["recorded"],
                      counts=result["counts"], outputs=result["outputs"].get("dir"))
    if as_json:
        emit_json(result)
    else:
        render_summary(result)
    return result


def render_summary(result: dict) -> None:
    p = result["params"]
    prev = result.get("previous")
    console.rule(f"scan {result['date']}" + (f" ({result['force']})" if result.get("force") else ""))
    console.print(f"window {result['window']['start']} .. {result['window']['end']} "
                  f"({p['window_days']} days), at least {p['min_reports']} distinct reports; "
                  f"{result['counts']['reports_in_window']:,} reports in {result['counts']['chains']:,} chains; "
                  + (f"compared with {prev['scan_id']}" if prev else "no earlier scan to compare with"))
    t = Table("finding", "total", "new", "escalating", "unchanged", title="Findings")
    for name, c in result["counts"]["findings"].items():
        t.add_row(name, f"{c['total']:,}", f"[green]{c['new']:,}[/]", f"[yellow]{c['escalating']:,}[/]",
                  f"{c['unchanged']:,}")
    t.add_row("[dim]excluded hubs[/]", f"[dim]{result['counts']['excluded']:,}[/]", "", "", "")
    console.print(t)
    if result["alerts"]:
        at = Table("kind", "count", title="Alerts")
        for k, n in result["counts"]["alerts"].items():
            at.add_row(k, f"{n:,}")
        console.print(at)
    top = Table("#", "what", "status", "label", "reports", "forces", title="Read first")
    for x in result["top"]:
        what = x.get("kind") or x.get("type") or ""
        style = {"escalating": "yellow", "new": "green"}.get(x.get("status") or "", "")
        status = "alert" if x.get("kind") else (x.get("status") or "")
        top.add_row(str(x["priority"]), what, f"[{style}]{status}[/]" if style else status,
                    str(x.get("label") or x.get("entity_id") or ""), str(x.get("reports") or ""),
                    ", ".join(x.get("forces") or []))
    console.print(top)
    for w in result.get("warnings") or []:
        console.print(f"[yellow]warning:[/] {w}")
    for name, note in (result.get("components") or {}).items():
        console.print(f"[dim]{name}: {note}[/]")
    outs = result.get("outputs") or {}
    if outs.get("html"):
        console.print(f"report: {outs['html']}  (JSON {outs['json']}, CSV in {outs['dir']})")
    if result["recorded"]:
        console.print(f"recorded as {result['scan_id']} (run {result['runs']}) in {result['seconds']:.1f} s")
    else:
        console.print(f"[yellow]not recorded[/] (read-only snapshot, {result['seconds']:.1f} s): the next "
                      f"scan will not compare with this one. To record a scan while the API owns the "
                      f"store, run it through the API ({API_HINT}).")


def _schedule(st, opts: dict, out_base: Path, read_only: bool, as_json: bool, interval, at) -> None:
    """Run a scan at each slot until Ctrl-C / SIGTERM. The store is opened for each run and closed
    between runs, so `linkage serve` or other commands can use it while the scanner sleeps."""
    from linkage.jobs.scan import next_run

    stop = threading.Event()
    previous = {}

    def on_signal(signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err_console.print("stopping the scanner (after the current run, if any); press Ctrl-C again to abort")

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, on_signal)
        except ValueError:  # not the main thread (e.g. embedded in a test): no handlers
            pass
    last: datetime | None = None
    try:
        while not stop.is_set():
            slot = next_run(datetime.now(), interval, at, last)
            if slot > datetime.now():
                err_console.print(f"next scan at {slot:%Y-%m-%d %H:%M} (every {interval}); Ctrl-C stops")
            while not stop.is_set():
                remaining = (slot - datetime.now()).total_seconds()
                if remaining <= 0:
                    break
                stop.wait(min(remaining, 60.0))
            if stop.is_set():
                break
            day = date.today()
            try:
                _run_once(st, day, opts, _default_out(out_base, day, opts["force"]), read_only, as_json)
            except LinkageError as exc:
                err_console.print(f"[red]scan {day} failed:[/] {exc.message}")
            except Exception as exc:  # noqa: BLE001 - a daemon keeps its schedule; no personal data logged
                log.error("scan %s failed (%s)", day, type(exc).__name__,
                          exc_info=log.isEnabledFor(logging.INFO))
                err_console.print(f"[red]scan {day} failed:[/] internal error {type(exc).__name__} (run with -v)")
            last = slot
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    err_console.print("scanner stopped")
