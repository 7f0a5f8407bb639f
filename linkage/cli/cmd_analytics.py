"""Analytics commands: search, network, path, venues, networks, flags, orders, export graph.

Every command that shows personal data writes an audit entry (who, what, when, why: DPA 2018
s.62): `consult_<what>` for reads, `disclose_export_graph` for exports, with the `--purpose`
given.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.tree import Tree

from linkage.audit import current_actor
from linkage.cli.context import console, emit_json, state
from linkage.errors import UserError

PURPOSE_HELP = "Why you are looking (recorded in the audit log), e.g. an operation or case reference."


def _types(values: list[str] | None) -> list[str] | None:
    out = [t.strip().lower() for v in values or [] for t in v.split(",") if t.strip()]
    return out or None


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} must be a date as YYYY-MM-DD, not {text!r}") from None


def _span(first, last) -> str:
    if not first and not last:
        return ""
    return f"{first or '?'}..{last or '?'}" if first != last else str(first)


def _link_text(l: dict) -> str:
    parts = [f"[bold]{l['link_type']}[/] x{l['count']}"]
    span = _span(l.get("first_seen"), l.get("last_seen"))
    if span:
        parts.append(span)
    if l.get("best_grading"):
        parts.append(l["best_grading"])
    if l.get("handling") == "C":
        parts.append(f"[yellow]C: {'; '.join(l.get('conditions') or []) or 'conditions apply'}[/]")
    return " ".join(parts)


def _entity_text(e: dict) -> str:
    flags = f" [red]{', '.join(e['flags'])}[/]" if e.get("flags") else ""
    hub = " [dim](hub)[/]" if e.get("hub") else ""
    forces = f" [dim]{', '.join(e.get('forces') or [])}[/]" if e.get("forces") else ""
    return f"{e.get('label') or e['entity_id']} [dim]{e['entity_type']} {e['entity_id']}[/]{forces}{flags}{hub}"


def register(app: typer.Typer) -> None:
    from linkage.cli import export_group

    orders_app = typer.Typer(help="Slavery and Trafficking Prevention/Risk Orders (STPO/STRO).", no_args_is_help=True)
    flags_app = typer.Typer(help="Flags computed from the graph: section45, child, under_order, relocated.", no_args_is_help=True)

    @app.command()
    def search(
        ctx: typer.Context,
        text: str = typer.Argument(..., help="A name, phone, postcode or address, VRM, account or email."),
        entity_type: Optional[list[str]] = typer.Option(None, "--type", help="Only these entity types (repeat or comma-separate)."),
        limit: int = typer.Option(20, "--limit", min=1, max=1000),
        purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Find entities by fuzzy name, phone in any format, postcode or address, VRM or account."""
        from linkage.analytics.search import search as run

        st = state(ctx)
        hits = run(st.store(), text, _types(entity_type), limit)
        st.audit().append("consult_search", actor=current_actor(), purpose=purpose, subject=text,
                          types=_types(entity_type), results=[h["entity_id"] for h in hits])
        if as_json:
            emit_json(hits)
            return
        table = Table("score", "type", "label", "entity", "why", "forces", "flags", title=f"Search: {text}")
        for h in hits:
            table.add_row(f"{h['score']:.0f}", h["entity_type"], h["label"] or "", h["entity_id"], h["reason"],
                          ", ".join(h["forces"]), ", ".join(h["flags"]))
        console.print(table if hits else f"nothing matches {text!r}")

    @app.command()
    def network(
        ctx: typer.Context,
        entity_id: str = typer.Argument(..., help="The entity to start from."),
        hops: int = typer.Option(2, "--hops", min=0, max=4),
        since: Optional[str] = typer.Option(None, "--since", help="Only links seen on or after this date (YYYY-MM-DD)."),
        min_grading: Optional[str] = typer.Option(None, "--min-grading", help="Only links graded at least this (e.g. 2B); drops ungraded."),
        types: Optional[list[str]] = typer.Option(None, "--types", help="Only these entity types (repeat or comma-separate)."),
        max_nodes: int = typer.Option(500, "--max-nodes", min=1, max=20000),
        purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """The entities linked to one within N hops, each link with its type, count, dates,
        grading, handling conditions and supporting reports."""
        from linkage.analytics.network import network as run

        st = state(ctx)
        sub = run(st.store(), entity_id, hops=hops, since=_date(since, "--since"),
                  min_grading=min_grading, types=_types(types), max_nodes=max_nodes)
        st.audit().append("consult_network", actor=current_actor(), purpose=purpose, subject=entity_id,
                          hops=hops, since=since, min_grading=min_grading, types=_types(types),
                          nodes=len(sub["nodes"]), links=len(sub["links"]))
        if as_json:
            emit_json(sub)
            return
        _print_network(sub, entity_id)

    @app.command()
    def path(
        ctx: typer.Context,
        a: str = typer.Argument(..., help="One entity."),
        b: str = typer.Argument(..., help="The other entity."),
        max_hops: int = typer.Option(4, "--max-hops", min=1, max=6),
        limit: int = typer.Option(5, "--limit", min=1, max=50),
        purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """The shortest paths between two entities, with the evidence on every hop."""
        from linkage.analytics.network import paths

        st = state(ctx)
        found = paths(st.store(), a, b, max_hops=max_hops, limit=limit)
        st.audit().append("consult_path", actor=current_actor(), purpose=purpose, subject=a, other=b,
                          max_hops=max_hops, paths=len(found))
        if as_json:
            emit_json(found)
            return
        if not found:
            console.print(f"no path of {max_hops} hops or fewer between {a} and {b}")
            return
        for i, p in enumerate(found, start=1):
            tree = Tree(f"[bold]path {i}[/] ({p['length']} hops)")
            node = tree.add(_entity_text(p["nodes"][0]))
            for hop, nxt in zip(p["hops"], p["nodes"][1:]):
                ev = node.add("; ".join(_link_text(l) for l in hop["links"]))
                for r in hop["reports"][:8]:
                    cond = f" [yellow]C: {r['conditions']}[/]" if r.get("handling") == "C" and r.get("conditions") else ""
                    ev.add(f"[dim]{r['kind']} {r['source_ref']} {r.get('reported_at') or ''} "
                           f"{r.get('grading') or ''}[/]{cond}")
                if len(hop["reports"]) > 8:
                    ev.add(f"[dim]... {len(hop['reports']) - 8} more reports[/]")
                node = ev.add(_entity_text(nxt))
            console.print(tree)

    @app.command()
    def venues(
        ctx: typer.Context,
        venue_type: Optional[list[str]] = typer.Option(None, "--type", help="Venue types (car_wash, nail_bar ...; repeat or comma-separate)."),
        force: Optional[str] = typer.Option(None, "--force", help="Only venues in this force area (force code)."),
        linked: bool = typer.Option(False, "--linked", help="Only venues linked to another venue."),
        max_hops: int = typer.Option(3, "--max-hops", min=2, max=3),
        limit: int = typer.Option(200, "--limit", min=1, max=100000),
        purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Venues and the other venues that shared people, phones, vehicles or accounts link them to."""
        from linkage.analytics.venues import linked_venues

        st = state(ctx)
        rows = linked_venues(st.store(), types=_types(venue_type), force=force, linked_only=linked,
                             max_hops=max_hops, limit=limit)
        st.audit().append("consult_venues", actor=current_actor(), purpose=purpose, types=_types(venue_type),
                          force=force, linked_only=linked, venues=len(rows))
        if as_json:
            emit_json(rows)
            return
        table = Table("score", "venue", "types", "forces", "linked venues (score; via)", title="Venues")
        for r in rows:
            links = []
            for x in r["linked"][:5]:
                via = ", ".join(f"{v['entity_type']} {v.get('label') or v['entity_id']}" for v in x["via"][:3])
                links.append(f"{x['venue'].get('label')} ({x['score']:.2f}; {via})")
            if len(r["linked"]) > 5:
                links.append(f"... {len(r['linked']) - 5} more")
            table.add_row(f"{r['score']:.2f}", f"{r['venue'].get('label')}\n[dim]{r['venue']['entity_id']}[/]",
                          ", ".join(r["venue_types"]), ", ".join(r["forces"]), "\n".join(links) or "-")
        console.print(table)

    @app.command()
    def networks(
        ctx: typer.Context,
        cross_border: bool = typer.Option(False, "--cross-border", help="Only networks spanning two or more force areas."),
        force: Optional[str] = typer.Option(None, "--force", help="Only networks with a place in this force area."),
        min_size: int = typer.Option(3, "--min-size", min=2),
        limit: int = typer.Option(100, "--limit", min=1),
        purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Networks found by community detection: victims, suspects, venues, exploitation types,
        force areas and ROCU regions, activity and score."""
        from linkage.analytics.networks import find_networks

        st = state(ctx)
        rows = find_networks(st.store(), cross_border=cross_border, force=force, min_size=min_size)[:limit]
        st.audit().append("consult_networks", actor=current_actor(), purpose=purpose, cross_border=cross_border,
                          force=force, min_size=min_size, networks=[n["network_id"] for n in rows])
        if as_json:
            emit_json(rows)
            return
        table = Table("network", "score", "size", "victims", "suspects", "venues", "exploitation",
                      "forces", "ROCU regions", "active", title="Cross-border networks" if cross_border else "Networks")
        for n in rows:
            table.add_row(n["network_id"], f"{n['score']:.1f}", str(n["size"]),
                          f"{len(n['victims'])}" + (f" ({n['child_victims']} child)" if n["child_victims"] else ""),
                          "\n".join(s["label"] or s["entity_id"] for s in n["suspects"][:4]) or "-",
                          "\n".join(v["label"] or v["entity_id"] for v in n["venues"][:4]) or "-",
                          ", ".join(n["exploitation_types"]),
                          "\n".join(n["forces"]) + ("\n[dim]also: " + ", ".join(n["other_forces"]) + "[/]" if n.get("other_forces") else ""),
                          "\n".join(n["rocu_regions"]), _span(n["first_seen"], n["last_seen"]))
        console.print(table)

    @orders_app.command("import")
    def orders_import(ctx: typer.Context, file: Path = typer.Argument(..., help="CSV or JSON Lines: order_ref, order_type (STPO|STRO), full_name, dob, force, made_on, expires_on."),
                      as_json: bool = typer.Option(False, "--json")) -> None:
        """Load an orders list (replacing orders with the same reference) and refresh the flags."""
        from linkage.analytics.flags import import_orders, refresh_flags

        st = state(ctx)
        n = import_orders(st.store(), file)
        flags = refresh_flags(st.store(), st.settings)
        st.audit().append("orders_import", actor=current_actor(), path=str(file), orders=n,
                          under_order=flags["flags"]["under_order"])
        if as_json:
            emit_json({"orders": n, **flags})
            return
        console.print(f"{n:,} orders loaded; {flags['flags']['under_order']:,} people flagged under_order")

    @orders_app.command("list")
    def orders_list(ctx: typer.Context, purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
                    as_json: bool = typer.Option(False, "--json")) -> None:
        """The orders held, and the person entities each one matched."""
        from linkage.analytics.flags import ORDERS, match_orders

        st = state(ctx)
        orders = st.store().list_docs(ORDERS)
        matches = match_orders(st.store(), st.settings, orders=orders)
        st.audit().append("consult_orders", actor=current_actor(), purpose=purpose, orders=len(orders))
        rows = [{**o, "entity_ids": matches.get(ref, [])} for ref, o in sorted(orders.items())]
        if as_json:
            emit_json(rows)
            return
        table = Table("order", "type", "name", "dob", "force", "made", "expires", "entities", title="Orders")
        for o in rows:
            table.add_row(o["order_ref"], o["order_type"], o["full_name"], o.get("dob") or "", o.get("force") or "",
                          o.get("made_on") or "", o.get("expires_on") or "", "\n".join(o["entity_ids"]) or "-")
        console.print(table)

    @flags_app.command("refresh")
    def flags_refresh(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """Recompute every flag from the graph (runs after each resolution anyway)."""
        from linkage.analytics.flags import refresh_flags

        st = state(ctx)
        out = refresh_flags(st.store(), st.settings)
        st.audit().append("flags_refresh", actor=current_actor(), **out)
        if as_json:
            emit_json(out)
            return
        console.print(", ".join(f"{k}: {v:,}" for k, v in out["flags"].items())
                      + f"; {out['entities_changed']:,} entities changed")

    @flags_app.command("list")
    def flags_list(ctx: typer.Context, flag: str = typer.Argument(..., help="section45, child, under_order or relocated."),
                   limit: int = typer.Option(200, "--limit", min=1),
                   purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
                   as_json: bool = typer.Option(False, "--json")) -> None:
        """The entities carrying a flag."""
        from linkage.analytics.flags import FLAGS
        from linkage.analytics.projection import entity_summary

        if flag not in FLAGS:
            raise UserError(f"unknown flag {flag!r} (one of {', '.join(FLAGS)})")
        st = state(ctx)
        rows = [entity_summary(e) for e in st.store().all_entities("person") if flag in (e.get("flags") or [])]
        rows.sort(key=lambda e: (e["label"] or "", e["entity_id"]))
        rows = rows[:limit]
        st.audit().append("consult_flags", actor=current_actor(), purpose=purpose, subject=flag, entities=len(rows))
        if as_json:
            emit_json(rows)
            return
        table = Table("entity", "label", "roles", "forces", "flags", title=f"Flag: {flag} ({len(rows)})")
        for e in rows:
            table.add_row(e["entity_id"], e["label"] or "", ", ".join(e["roles"]), ", ".join(e["forces"]),
                          ", ".join(e["flags"]))
        console.print(table)

    @export_group(app).command("graph")
    def export_graph_cmd(
        ctx: typer.Context,
        entity_id: str = typer.Argument(..., help="The entity at the centre."),
        hops: int = typer.Option(2, "--hops", min=0, max=4),
        fmt: str = typer.Option("graphml", "--format", help="graphml, json (node-link), csv (edges) or anx (i2 Analyst's Notebook)."),
        out: Path = typer.Option(..., "--out", help="File to write."),
        purpose: Optional[str] = typer.Option(None, "--purpose", help=PURPOSE_HELP),
    ) -> None:
        """Export an entity's neighbourhood for Gephi, Cytoscape, a spreadsheet or i2 ANB."""
        from linkage.analytics.export import export_graph

        st = state(ctx)
        content, media = export_graph(st.store(), entity_id, hops, fmt)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        st.audit().append("disclose_export_graph", actor=current_actor(), purpose=purpose, subject=entity_id,
                          hops=hops, format=fmt, path=str(out), bytes=len(content))
        console.print(f"{len(content):,} bytes of {media} written to {out}")

    app.add_typer(orders_app, name="orders")
    app.add_typer(flags_app, name="flags")


def _print_network(sub: dict, root: str) -> None:
    nodes = {n["entity_id"]: n for n in sub["nodes"]}
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for l in sub["links"]:
        by_pair.setdefault(tuple(sorted((l["src"], l["dst"]))), []).append(l)
    # a tree: each entity under the nearer entity it is most strongly linked to
    parent: dict[str, str] = {}
    for n in sorted(sub["nodes"], key=lambda n: n["hops"]):
        if n["entity_id"] == root:
            continue
        best = None
        for (a, b), ls in by_pair.items():
            other = b if a == n["entity_id"] else a if b == n["entity_id"] else None
            if other is not None and nodes[other]["hops"] == n["hops"] - 1:
                w = sum(l["count"] for l in ls)
                if best is None or w > best[0] or (w == best[0] and other < best[1]):
                    best = (w, other)
        if best:
            parent[n["entity_id"]] = best[1]
    children: dict[str, list[str]] = {}
    for c, p in parent.items():
        children.setdefault(p, []).append(c)
    tree = Tree(_entity_text(nodes[root]))

    def grow(branch, eid):
        for c in sorted(children.get(eid, []), key=lambda x: (nodes[x]["entity_type"], nodes[x].get("label") or "")):
            ls = by_pair[tuple(sorted((eid, c)))]
            reports = sorted({r for l in ls for r in l["report_ids"]})
            sub_branch = branch.add(f"{_entity_text(nodes[c])}\n  [dim]linked by[/] " + "; ".join(_link_text(l) for l in ls)
                                    + f" [dim]reports: {', '.join(reports[:4])}{' ...' if len(reports) > 4 else ''}[/]")
            grow(sub_branch, c)

    grow(tree, root)
    console.print(tree)
    console.print(f"{len(sub['nodes'])} entities, {len(sub['links'])} links"
                  + (" [yellow](truncated: raise --max-nodes or narrow with --types/--since)[/]" if sub["truncated"] else ""))
