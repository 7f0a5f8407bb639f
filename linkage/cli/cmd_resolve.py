"""Resolution commands: resolve, judge, split, review, explain, entity, export resolution,
resolve-file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from linkage.audit import current_actor
from linkage.cli.context import console, emit_json, state


def register(app: typer.Typer) -> None:
    judge_app = typer.Typer(help="Record an analyst's judgement on two records, or undo one.", no_args_is_help=True)
    export_app = _export_app(app)

    @app.command()
    def resolve(
        ctx: typer.Context,
        full: bool = typer.Option(False, "--full", help="Recompute every entity from scratch."),
        refit: bool = typer.Option(False, "--refit", help="Re-estimate the match parameters (EM) and name frequencies."),
        config: Optional[Path] = typer.Option(None, "--config", help="Resolution settings file (JSON/TOML)."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Resolve records into entities (incremental unless --full)."""
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from linkage.resolve.config import ResolutionConfig
        from linkage.resolve.pipeline import resolve as run

        st = state(ctx)
        cfg = ResolutionConfig.load(config) if config else st.resolution_config()
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=True, disable=as_json) as progress:
            task = progress.add_task("resolving", total=None)
            rep = run(st.store(), cfg, full=full, refit=refit, on_stage=lambda s: progress.update(task, description=s))
        st.audit().append("resolve", actor=current_actor(), full=rep.full,
                          entities_written=rep.entities_written)
        _analytics_after_resolve(st)
        if as_json:
            emit_json({"full": rep.full, "seconds": rep.seconds, "entity_links": rep.entity_links,
                       "types": {k: vars(v) for k, v in rep.types.items()}})
            return
        table = Table("type", "records", "compared", "pairs", "matched", "review", "refused", "entities", "s",
                      title=f"Resolution ({'full' if rep.full else 'incremental'})")
        for t, r in rep.types.items():
            table.add_row(t, f"{r.records:,}", f"{r.dirty:,}", f"{r.pairs:,}", f"{r.matches:,}",
                          f"{r.review:,}", f"{r.refused:,}", f"{r.entities:,}", f"{r.seconds:.1f}")
        console.print(table)
        console.print(f"{rep.entities_written:,} entities written, {rep.entities_removed:,} removed, "
                      f"{rep.entity_links:,} entity links, {rep.seconds:.1f} s")

    def _judge(ctx, decision, a, b, by, reason, as_json):
        from linkage.resolve.decisions import judge

        st = state(ctx)
        j = judge(st.store(), decision, a, b, by=by, reason=reason)
        st.audit().append("judgement", actor=by, subject=j.judgement_id, decision=decision,
                          record_a=a, record_b=b, reason=reason)
        if as_json:
            emit_json(vars(j) if not hasattr(j, "__slots__") else {s: getattr(j, s) for s in j.__slots__})
        else:
            console.print(f"judgement {j.judgement_id}: {a} and {b} are [bold]{decision}[/]; "
                          "run `linkage resolve` to apply it")

    @judge_app.command("same")
    def judge_same(ctx: typer.Context, record_a: str, record_b: str,
                   by: str = typer.Option(..., "--by"), reason: str = typer.Option(..., "--reason"),
                   as_json: bool = typer.Option(False, "--json")) -> None:
        """These two records are the same real-world entity."""
        _judge(ctx, "same", record_a, record_b, by, reason, as_json)

    @judge_app.command("not-same")
    def judge_not_same(ctx: typer.Context, record_a: str, record_b: str,
                       by: str = typer.Option(..., "--by"), reason: str = typer.Option(..., "--reason"),
                       as_json: bool = typer.Option(False, "--json")) -> None:
        """These two records are different entities: never link them."""
        _judge(ctx, "not-same", record_a, record_b, by, reason, as_json)

    @judge_app.command("undo")
    def judge_undo(ctx: typer.Context, judgement_id: str, by: str = typer.Option(current_actor(), "--by")) -> None:
        """Undo a judgement (it is kept, marked undone)."""
        from linkage.resolve.decisions import undo

        st = state(ctx)
        j = undo(st.store(), judgement_id, by=by)
        st.audit().append("judgement_undo", actor=by, subject=j.judgement_id)
        console.print(f"judgement {j.judgement_id} undone; run `linkage resolve` to apply it")

    app.add_typer(judge_app, name="judge")

    @app.command()
    def split(ctx: typer.Context, entity_id: str,
              records: list[str] = typer.Option(..., "--records", help="Record ids to move out (repeat)."),
              by: str = typer.Option(..., "--by"), reason: str = typer.Option(..., "--reason")) -> None:
        """Split records out of an entity (stored as judgements, applied by the next resolve)."""
        from linkage.resolve.decisions import split as do_split
        from linkage.resolve.pipeline import resolve as run

        st = state(ctx)
        js = do_split(st.store(), entity_id, records, by=by, reason=reason)
        st.audit().append("split", actor=by, subject=entity_id, records=records, judgements=[j.judgement_id for j in js])
        run(st.store(), st.resolution_config())
        _analytics_after_resolve(st)
        console.print(f"{len(records)} record(s) split out of {entity_id} ({len(js)} judgements recorded)")

    @app.command()
    def review(ctx: typer.Context, entity_type: Optional[str] = typer.Option(None, "--type"),
               limit: int = typer.Option(50, "--limit"), as_json: bool = typer.Option(False, "--json")) -> None:
        """Pairs in the review band, with their evidence."""
        from linkage.resolve.decisions import review_queue

        st = state(ctx)
        items = review_queue(st.store(), entity_type)[:limit]
        st.audit().append("consult_review", actor=current_actor(), count=len(items))
        if as_json:
            emit_json(items)
            return
        table = Table("p", "type", "record A", "record B", "levels", "record pairs",
                      title=f"Review queue ({len(items)}; one per pair of entities, its strongest pair of records)")
        for i in items:
            lv = ", ".join(f"{k}={v}" for k, v in i["levels"].items() if v)
            table.add_row(f"{i['probability']:.2f}", i["entity_type"], i["record_a"], i["record_b"], lv,
                          str(i.get("record_pairs", 1)))
        console.print(table)

    @app.command()
    def explain(ctx: typer.Context, record_a: str, record_b: str, as_json: bool = typer.Option(False, "--json")) -> None:
        """Why two records are (or are not) one entity: each comparison, level and weight."""
        from linkage.resolve.decisions import explain as do_explain

        st = state(ctx)
        out = do_explain(st.store(), record_a, record_b, st.resolution_config())
        st.audit().append("consult_explain", actor=current_actor(), record_a=record_a, record_b=record_b)
        if as_json:
            emit_json(out)
            return
        table = Table("comparison", "level", "weight", "note", title=f"{record_a} vs {record_b}")
        for c in out["comparisons"]:
            w = "" if c["weight"] is None else f"{c['weight']:+.2f}"
            table.add_row(c["comparison"], str(c["level"] or "-"), w, c.get("note") or "")
        if out.get("total") is not None:
            table.add_row("prior", "", f"{out['prior_weight']:+.2f}", "match rate among candidates")
            table.add_row("[bold]total[/]", "", f"[bold]{out['total']:+.2f}[/]", f"p = {out['probability']:.4f}")
        console.print(table)
        console.print(f"decision: {out.get('decision', '')}; same entity now: {out['same_entity']}")

    @app.command()
    def entity(ctx: typer.Context, entity_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
        """An entity's records, the reports they come from, and why each record is in it."""
        from linkage.errors import NotFound

        st = state(ctx)
        ent = st.store().entity(entity_id)
        if ent is None:
            raise NotFound(f"no entity {entity_id}")
        st.audit().append("consult_entity", actor=current_actor(), subject=entity_id)
        if as_json:
            emit_json(ent)
            return
        console.print(f"[bold]{ent['label']}[/] ({ent['entity_type']} {ent['entity_id']}) "
                      f"flags: {', '.join(ent['flags']) or '-'}  forces: {', '.join(ent['forces']) or '-'}")
        table = Table("record", "role", "as written", "reported", "why", title="Records")
        for r in ent["records"]:
            table.add_row(r["record_id"], r["role"], r["display"], str(r.get("reported_at") or ""),
                          f"{r['rule']} ({r['score']:.3f})")
        console.print(table)
        rt = Table("report", "kind", "source ref", "reported", "grading", "handling", title="Reports")
        for r in ent["reports"]:
            rt.add_row(r["report_id"], r["kind"], r["source_ref"], str(r.get("reported_at") or ""),
                       f"{r.get('grading_source') or ''}{r.get('grading_intel') or ''}",
                       (r.get("handling") or "") + (f" ({r['conditions']})" if r.get("conditions") else ""))
        console.print(rt)

    @export_app.command("resolution")
    def export_resolution(ctx: typer.Context, out: Path = typer.Option(..., "--out")) -> None:
        """One row per record: report_kind, source_ref, record_ref, record_type, entity_id."""
        from linkage.resolve.export import write_resolution_csv

        st = state(ctx)
        n = write_resolution_csv(st.store(), out)
        st.audit().append("disclose_export_resolution", actor=current_actor(), path=str(out), rows=n)
        console.print(f"{n:,} records written to {out}")

    @app.command("resolve-file")
    def resolve_file(ctx: typer.Context, infile: Path, out: Path = typer.Option(..., "--out"),
                     config: Optional[Path] = typer.Option(None, "--config")) -> None:
        """Resolve a standalone CSV of person records; writes record_id,cluster_id."""
        from linkage.resolve.config import ResolutionConfig
        from linkage.resolve.standalone import resolve_csv

        cfg = ResolutionConfig.load(config) if config else state(ctx).resolution_config()
        n, k = resolve_csv(infile, out, cfg)
        console.print(f"{n:,} records in {k:,} clusters written to {out}")


def _export_app(app: typer.Typer) -> typer.Typer:
    from linkage.cli import export_group

    return export_group(app)


def _analytics_after_resolve(st) -> None:
    """Flags and networks depend on the resolution; recompute them when analytics is installed
    (the networks are saved in the store, so the daily scan reads them instead of finding them)."""
    try:
        from linkage.analytics.flags import refresh_flags
        from linkage.analytics.networks import refresh_networks
    except ImportError:
        return
    refresh_flags(st.store(), st.settings)
    refresh_networks(st.store())
