"""Linked entities (the neighbourhood of one entity) and the shortest paths between two.

Both read the cached projection (projection.py). Walks do not pass through benign hubs (a safe
house, a police station, a referring charity): the hub itself is shown, marked `hub`, but what
else is linked to it is not pulled in, or every victim housed by one charity would be "linked".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import networkx as nx

from linkage.analytics.projection import (
    Projection, entity_summary, grading_ok, projection, public_link, report_summaries,
    split_grading,
)
from linkage.errors import LimitExceeded, NotFound, UserError
from linkage.model import RecordType

MAX_HOPS = 4
ENTITY_TYPES = tuple(t.value for t in RecordType)


def check_filters(hops: int, min_grading: str | None, types: Iterable[str] | None) -> None:
    if hops < 0 or hops > MAX_HOPS:
        raise LimitExceeded(f"hops must be between 0 and {MAX_HOPS} (asked for {hops})",
                            details={"hops": hops, "max": MAX_HOPS})
    if min_grading is not None:
        s, i = split_grading(min_grading)
        if s is None and i is None or len(min_grading.strip()) > 2:
            raise UserError(f"not a 3x5x2 grading: {min_grading!r} (e.g. 2B: source 1-3, "
                            "intelligence A-E)")
    for t in types or []:
        if t not in ENTITY_TYPES:
            raise UserError(f"unknown entity type {t!r} (one of {', '.join(ENTITY_TYPES)})")


def _link_passes(link: dict, since: date | None, min_grading: str | None) -> bool:
    if since is not None and (link.get("last_seen") is None or link["last_seen"] < since):
        return False
    return grading_ok(link.get("best_grading"), min_grading)


def _node(proj: Projection, eid: str, hops: int) -> dict:
    node = dict(proj.entities[eid])
    node["hops"] = hops
    node["hub"] = eid in proj.hubs
    return node


def adjacency(proj: Projection) -> dict[str, dict[str, dict]]:
    """The projection's graph as plain dicts (entity -> neighbour -> edge data, the same edge
    dicts, in the graph's order), built once per projection: walks read it several times faster
    than networkx's adjacency views, which wrap every lookup."""
    return proj.derive("adjacency", lambda p: {u: dict(nbrs) for u, nbrs in p.graph.adjacency()})


@dataclass
class Neighbourhood:
    """What `network` returns, before it is copied out of the projection: the entity ids with
    their hop distance and the link rows among them, both in the order a network lists them.
    The link rows are the projection's own (read them, never change them); the API renders them
    to JSON from fragments cached per projection rather than copying them for every request."""

    proj: Projection
    hops: dict[str, int]
    links: list[dict]
    truncated: bool


def neighbourhood(store, entity_id: str, hops: int = 2, since: date | None = None,
                  min_grading: str | None = None, types: list[str] | None = None,
                  max_nodes: int = 500) -> Neighbourhood:
    """The walk behind `network` (same arguments)."""
    check_filters(hops, min_grading, types)
    proj = projection(store)
    if entity_id not in proj.entities:
        raise NotFound(f"no entity {entity_id}")
    adj = adjacency(proj)
    ents, hubs = proj.entities, proj.hubs
    wanted = set(types) if types else None
    filtered = since is not None or min_grading is not None  # else every link passes
    seen: dict[str, int] = {entity_id: 0}
    frontier = [entity_id]
    truncated = False
    for depth in range(1, hops + 1):
        candidates: list[tuple[float, str]] = []
        for u in frontier:
            if u in hubs and u != entity_id:
                continue  # shown, not walked through
            for v, data in adj[u].items():
                if v in seen:
                    continue
                if wanted is not None and ents[v]["entity_type"] not in wanted:
                    continue
                if not filtered or any(_link_passes(l, since, min_grading) for l in data["links"]):
                    candidates.append((-data["weight"], v))
        candidates.sort()
        nxt = []
        for _w, v in candidates:
            if v in seen:
                continue
            if len(seen) >= max_nodes:
                truncated = True
                break
            seen[v] = depth
            nxt.append(v)
        frontier = nxt
        if truncated or not frontier:
            break
    links = []
    for u in seen:
        for v, data in adj[u].items():
            if v in seen and u < v:
                if filtered:
                    links += [l for l in data["links"] if _link_passes(l, since, min_grading)]
                else:
                    links += data["links"]
    links.sort(key=lambda l: (seen[l["src"]] + seen[l["dst"]], l["src"], l["dst"], l["link_type"]))
    order = sorted(seen, key=lambda eid: (seen[eid], ents[eid]["entity_type"], ents[eid].get("label") or "", eid))
    return Neighbourhood(proj, {eid: seen[eid] for eid in order}, links, truncated)


def network(store, entity_id: str, hops: int = 2, since: date | None = None,
            min_grading: str | None = None, types: list[str] | None = None,
            max_nodes: int = 500) -> dict:
    """The entities within `hops` of `entity_id` and every link among them, with its evidence.

    Filters: `since` keeps links last seen on or after that date; `min_grading` keeps links whose
    best grading is at least that good (e.g. "2B"; ungraded links are dropped); `types` keeps
    entities of those types (the starting entity always stays). Stronger links are followed
    first, so when `max_nodes` truncates the picture the weakest links are the ones left out.
    """
    nb = neighbourhood(store, entity_id, hops=hops, since=since, min_grading=min_grading, types=types,
                       max_nodes=max_nodes)
    return {"nodes": [_node(nb.proj, eid, d) for eid, d in nb.hops.items()],
            "links": [public_link(l) for l in nb.links], "truncated": nb.truncated}


def _ball(g: nx.Graph, source: str, cutoff: int, blocked: frozenset, ends: set) -> dict[str, int]:
    """Hop distances from `source` up to `cutoff`, not walking through blocked nodes."""
    dist = {source: 0}
    frontier = [source]
    for d in range(1, cutoff + 1):
        nxt = []
        for u in frontier:
            if u in blocked and u not in ends:
                continue
            for v in g[u]:
                if v not in dist:
                    dist[v] = d
                    nxt.append(v)
        frontier = nxt
    return dist


def paths(store, a: str, b: str, max_hops: int = 4, limit: int = 5) -> list[dict]:
    """The shortest paths (fewest hops, then strongest) between two entities, up to `limit`,
    each with the evidence on every hop: the links and the reports that support them.

    Paths do not pass through benign hubs. Returns [] when no path of `max_hops` or fewer exists.
    """
    if max_hops < 1 or max_hops > MAX_HOPS + 2:
        raise LimitExceeded(f"max_hops must be between 1 and {MAX_HOPS + 2} (asked for {max_hops})",
                            details={"max_hops": max_hops})
    proj = projection(store)
    for e in (a, b):
        if e not in proj.entities:
            raise NotFound(f"no entity {e}")
    if a == b:
        raise UserError("a path needs two different entities")
    g = proj.graph
    ends = {a, b}
    da = _ball(g, a, max_hops, proj.hubs, ends)
    if b not in da:
        return []
    db = _ball(g, b, max_hops, proj.hubs, ends)
    keep = {n for n, d in da.items() if n in db and d + db[n] <= max_hops and (n in ends or n not in proj.hubs)}
    sub = g.subgraph(keep)
    found: list[list[str]] = []
    try:
        for p in nx.shortest_simple_paths(sub, a, b):
            if len(p) - 1 > max_hops:
                break
            found.append(p)
            if len(found) >= max(limit * 4, limit):
                break
    except nx.NetworkXNoPath:
        return []
    # among paths of equal length, the strongest (weakest link strongest) first
    found.sort(key=lambda p: (len(p), -min(g[u][v]["weight"] for u, v in zip(p, p[1:])), p))
    found = found[:limit]
    out = []
    for p in found:
        hops = []
        for u, v in zip(p, p[1:]):
            ls = [public_link(l) for l in g[u][v]["links"]]
            rids = sorted({r for l in ls for r in l["report_ids"]})
            hops.append({"src": u, "dst": v, "links": ls, "weight": round(g[u][v]["weight"], 3),
                         "reports": report_summaries(store, rids, proj)})
        out.append({"nodes": [dict(proj.entities[n]) for n in p], "hops": hops, "length": len(p) - 1})
    return out


def summarise_nodes(nodes: list[dict]) -> list[dict]:
    return [entity_summary(n) for n in nodes]
