"""Linked venues: car washes, nail bars, brothels, farms ... that people, phones, vehicles or
accounts connect ("linked brothels across the region, women advertised across multiple sites").

A **venue** is a business (other than a referring organisation) or a location used as a place of
exploitation or with a venue type other than a private house; benign hubs (safe houses, police
stations ...) never are. A business and the one address it operates at are one **site**: they are
reported together, so their link proves nothing; the site is shown by its business (else its
location), with every entity of the site listed in `site`.

Two sites are **linked** when a path of at most `max_hops` (<= 3) links joins them whose inner
entities are all connectors: people, phones, vehicles, accounts or emails (never another venue,
a hub, or a connector linked to more than `HUB_DEGREE` entities, which says nothing about any one
of them). Examples: venue - worker - venue (2 hops), venue - manager - phone - venue (3 hops).

**Score of a linked pair** (documented, reproducible):

    score = recency x sum over distinct connecting entities c of strength(c)

- each distinct connecting entity counts once, however many paths run through it: independent
  connections add up, the same connection seen twice does not;
- strength(c) = the best path through c, where a path's strength is its weakest link's weight
  (`projection.link_strength`: number of supporting reports and their 3x5x2 grading), halved for
  each hop beyond 2 (on a 3-hop path each of the two connectors gets half, so a chain of two
  counts about as much as one directly shared entity);
- recency = 0.5 ** (years between the newest evidence on those paths and the newest evidence in
  the whole graph).

Two sites that share a connecting entity (2 hops) are always listed. Two sites joined only
through chains of two connectors (3 hops) are listed when their score reaches
`MIN_CHAIN_SCORE`: a single chain whose links were each reported once is too weak to call two
venues linked (on 100,000 generated reports such chains, mostly through people wrongly merged
with someone else, linked a typical venue to about a hundred others, while the planted links
all scored above it).

A venue's own score is the sum of the scores of its linked pairs. Each linked venue names its
connecting entities (`via`: id, type, label, forces, roles, flags and the strength it adds) and
the reports that support the links.
"""

from __future__ import annotations

from collections import defaultdict

from linkage.analytics.projection import (
    CONNECTOR_TYPES, Projection, entity_summary, is_venue, projection, recency,
)
from linkage.errors import LimitExceeded, UserError
from linkage.gcpause import gc_paused
from linkage.model import FORCE_CODES, VenueType

HUB_DEGREE = 250
MIN_CHAIN_SCORE = 1.0
HOP_DECAY = 0.5
VENUE_TYPES = tuple(v.value for v in VenueType)


def sites(proj: Projection) -> dict[str, frozenset[str]]:
    """venue entity id -> the ids of its site (a business and the one location it operates at,
    with any other business operating only there)."""
    def build(p: Projection):
        venues = {eid for eid, e in p.entities.items() if is_venue(e)}
        parent = {v: v for v in venues}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        operates: dict[str, set[str]] = defaultdict(set)
        g = p.graph
        for v in venues:
            if p.entities[v]["entity_type"] != "business":
                continue
            for u, data in g[v].items():
                if u in venues and p.entities[u]["entity_type"] == "location" and \
                        any(l["link_type"] == "OPERATES_AT" for l in data["links"]):
                    operates[v].add(u)
        for b, locs in operates.items():
            if len(locs) == 1:
                (loc,) = locs
                parent[find(b)] = find(loc)
        groups: dict[str, set[str]] = defaultdict(set)
        for v in venues:
            groups[find(v)].add(v)
        out = {}
        for members in groups.values():
            fs = frozenset(members)
            for m in members:
                out[m] = fs
        return out
    return proj.derive("venue_sites", build)


def representative(proj: Projection, site: frozenset[str]) -> str:
    ents = [proj.entities[e] for e in site]
    return min(ents, key=lambda e: (e["entity_type"] != "business", -(e.get("record_count") or 0),
                                    e["entity_id"]))["entity_id"]


def _pairs(proj: Projection, site_of: dict[str, frozenset[str]], max_hops: int) -> dict:
    """(site a, site b) -> {"via": {connector: strength}, "edges": {(u, v)}, "last_seen", "hops"}
    for every linked pair of sites, each pair once (a before b).

    Edge-centric rather than a walk from every venue: a connector joins every pair of the sites
    it touches (2 hops); a link between two connectors joins every site of one end to every site
    of the other (3 hops)."""
    g = proj.graph
    connector = {n for n, e in proj.entities.items()
                 if e["entity_type"] in CONNECTOR_TYPES and n not in proj.hubs
                 and g.degree(n) <= HUB_DEGREE}
    # connector -> site -> (best weight, latest date, the edges that touch the site)
    touches: dict[str, dict[frozenset, list]] = defaultdict(dict)
    c2c: list[tuple[str, str, dict]] = []
    for u, v, d in g.edges(data=True):
        for c, x in ((u, v), (v, u)):
            if c in connector and x in site_of:
                slot = touches[c].setdefault(site_of[x], [0.0, None, []])
                slot[0] = max(slot[0], d["weight"])
                if d["last_seen"] and (slot[1] is None or d["last_seen"] > slot[1]):
                    slot[1] = d["last_seen"]
                slot[2].append((u, v))
        if u in connector and v in connector:
            c2c.append((u, v, d))
    key = {s: min(s) for s in set(site_of.values())}
    pairs: dict[tuple, dict] = {}

    def add(sa, sb, via: list[str], strength: float, edges, last, hops: int):
        if key[sa] > key[sb]:
            sa, sb = sb, sa
        slot = pairs.get((sa, sb))
        if slot is None:
            slot = pairs[(sa, sb)] = {"via": {}, "edges": set(), "last_seen": None, "hops": hops}
        for c in via:
            if strength > slot["via"].get(c, 0.0):
                slot["via"][c] = strength
        slot["edges"].update(edges)
        if last is not None and (slot["last_seen"] is None or last > slot["last_seen"]):
            slot["last_seen"] = last
        slot["hops"] = min(slot["hops"], hops)

    def later(a, b):
        return a if b is None or (a is not None and a >= b) else b

    for c, sites_ in touches.items():
        items = sorted(sites_.items(), key=lambda kv: key[kv[0]])
        for i, (sa, (wa, la, ea)) in enumerate(items):
            for sb, (wb, lb, eb) in items[i + 1:]:
                add(sa, sb, [c], min(wa, wb), ea + eb, later(la, lb), 2)
    if max_hops >= 3:
        for c1, c2, d in c2c:
            t1, t2 = touches.get(c1), touches.get(c2)
            if not t1 or not t2:
                continue
            for sa, (wa, la, ea) in t1.items():
                for sb, (wb, lb, eb) in t2.items():
                    if sa == sb:
                        continue
                    strength = min(wa, d["weight"], wb) * HOP_DECAY
                    add(sa, sb, [c1, c2], strength, ea + eb + [(c1, c2)],
                        later(later(la, lb), d["last_seen"]), 3)
    return pairs


def _by_site(proj: Projection, pairs: dict) -> dict[frozenset, dict[frozenset, dict]]:
    """site -> linked site -> its evidence (both directions), with the supporting report ids."""
    g = proj.graph
    out: dict[frozenset, dict[frozenset, dict]] = defaultdict(dict)
    for (sa, sb), slot in pairs.items():
        rids = sorted({r for u, v in slot["edges"] for l in g[u][v]["links"] for r in l["report_ids"]})
        shared = {"via": slot["via"], "report_ids": rids, "last_seen": slot["last_seen"],
                  "hops": slot["hops"]}
        out[sa][sb] = shared
        out[sb][sa] = shared
    return out


def linked_venues(store, types: list[str] | None = None, force: str | None = None,
                  linked_only: bool = False, max_hops: int = 3, limit: int = 200) -> list[dict]:
    """Venues, each with the other venues linked to it and why (see the module docstring)."""
    if max_hops < 2 or max_hops > 3:
        raise LimitExceeded("max_hops for linked venues must be 2 or 3", details={"max_hops": max_hops})
    for t in types or []:
        if t not in VENUE_TYPES:
            raise UserError(f"unknown venue type {t!r} (one of {', '.join(VENUE_TYPES)})")
    if force is not None and force not in FORCE_CODES:
        raise UserError(f"unknown force code {force!r}")
    proj = projection(store)
    ranked = proj.derive(f"venue_ranking:{max_hops}", lambda p: _ranking(p, max_hops))
    out = []
    for row in ranked:
        if linked_only and not row["pairs"]:
            continue
        if types and not set(types) & set(row["venue_types"]):
            continue
        if force and force not in row["forces"]:
            continue
        out.append(row)
        if len(out) >= limit:
            break
    with gc_paused():
        return [_render(proj, row) for row in out]


def _ranking(proj: Projection, max_hops: int) -> list[dict]:
    """Every site with its linked sites scored, best first (no entity rows copied yet)."""
    site_of = sites(proj)
    pairs = _by_site(proj, _pairs(proj, site_of, max_hops))
    reps = {s: representative(proj, s) for s in set(site_of.values())}
    rows = []
    for s, rep in reps.items():
        ents = [proj.entities[e] for e in s]
        linked = []
        for target, slot in pairs.get(s, {}).items():
            score = round(recency(slot["last_seen"], proj.as_of) * sum(slot["via"].values()), 3)
            if slot["hops"] > 2 and score < MIN_CHAIN_SCORE:
                continue
            linked.append((score, reps[target], target, slot))
        linked.sort(key=lambda x: (-x[0], x[1]))
        rows.append({"rep": rep, "label": proj.entities[rep].get("label") or "", "site": s,
                     "score": round(sum(x[0] for x in linked), 3), "pairs": linked,
                     "venue_types": sorted({t for e in ents for t in ((e.get("attrs") or {}).get("venue_types") or {})}),
                     "forces": sorted({f for e in ents for f in (e.get("forces") or [])})})
    rows.sort(key=lambda r: (-r["score"], r["label"], r["rep"]))
    return rows


def _render(proj: Projection, row: dict) -> dict:
    linked = []
    for score, rep, target, slot in row["pairs"]:
        via = sorted(slot["via"].items(), key=lambda kv: (-kv[1], kv[0]))
        linked.append({
            "venue": dict(proj.entities[rep]), "score": score,
            "via": [dict(entity_summary(proj.entities[c]), strength=round(w, 3)) for c, w in via],
            "report_ids": list(slot["report_ids"]), "site": sorted(target),
            "hops": slot["hops"], "last_seen": slot["last_seen"],
        })
    return {"venue": dict(proj.entities[row["rep"]]), "score": row["score"], "linked": linked,
            "site": sorted(row["site"]), "venue_types": list(row["venue_types"]),
            "forces": list(row["forces"])}
