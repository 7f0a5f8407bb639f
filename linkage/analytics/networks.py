"""Networks: groups of entities found by community detection on the entity graph, the shape of an
organised crime group (OCG) in the data - its victims, suspects, venues, exploitation types and
the force areas its places fall in. `cross_border` keeps the networks that span force areas.

Method (reproducible; the same store always gives the same networks and ids):
1. Project the entity graph (projection.py) without its benign hubs - safe houses, police
   stations, immigration centres, charity offices, hospitals, ports, referring organisations -
   which would otherwise glue unrelated groups together through the places that help victims.
2. Split it into connected components. A component of up to `LOUVAIN_MIN_SIZE` entities is one
   network as it stands.
3. Split larger components with Louvain (`networkx.community.louvain_communities`, seed `SEED`)
   on weighted links: a pair's weight is the sum of its links' strengths, (1 + log2 reports) x
   grading factor (projection.link_strength). Trees hanging off a component are first folded
   into the entity they hang from (as a self-loop: no degree changes, so neither does
   modularity). The resolution is the component's total link weight / `RESOLUTION_MASS` (at
   least `MIN_RESOLUTION`): Louvain then joins two groups when the weight between them exceeds
   d_A x d_B / (2 x RESOLUTION_MASS), whatever the size of the component. With a fixed
   resolution, modularity's resolution limit lets a few wrongly merged people (two victims with
   one common name) glue whole groups together in a large component, while small components
   are cut into one piece per venue (measured on generated worlds of 1,500 to 100,000 reports).
4. Describe each group; its id is "net-" + a hash of its smallest member id, so it stays put as
   long as that member stays in it.

**Force areas.** A group's `forces` are the force areas of its locations that at least
`MIN_FORCE_SHARE` as many distinct reports tie to the group as tie it to its best-supported force
(`force_reports` gives the counts). Weaker ones are listed as `other_forces`: in a large group,
one or two reports about a place in another force are far more often a person wrongly merged
with someone else's case than a second base, and would make most large groups look
cross-border (on 100,000 generated reports: 674 cross-border networks, 181 of them planted ones;
with this rule about 450, every planted one kept). A small, new group keeps every force it has. A home only the group's victims live at is left out too: victims
move through the NRM (the `relocated` flag follows them), which does not make the group
cross-border. `cross_border` is two or more `forces`; `rocu_regions` are those forces' ROCUs.

**Score** (documented): recency x (2 per victim + 1.5 per suspect or exploiter + 1 per venue
+ 2 per child victim + 3 per force area beyond the first + 0.25 per other member), where
recency = 0.5 ** (years from the group's last activity to the newest activity in the graph).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from datetime import date

import networkx as nx

from linkage.analytics.projection import (
    Projection, _store_key, cached_projection, entity_summary, is_venue, projection, recency,
    report_index,
)
from linkage.errors import NotFound, UserError
from linkage.model import FORCE_CODES, OFFENDER_ROLES, Role, rocu_region, stable_hash

SEED = 42
RESOLUTION_MASS = 4500.0
MIN_RESOLUTION = 0.3
LOUVAIN_MIN_SIZE = 40
MIN_FORCE_REPORTS = 1
MIN_FORCE_SHARE = 0.1
_OFFENDERS = {r.value for r in OFFENDER_ROLES}


def communities(proj: Projection) -> list[frozenset[str]]:
    """The groups (connected components, large ones split by Louvain), hubs left out."""
    def build(p: Projection):
        g = p.graph
        keep = [n for n in g if n not in p.hubs and g.degree(n) > 0]
        h = g.subgraph(keep)
        out: list[frozenset[str]] = []
        for comp in sorted(nx.connected_components(h), key=min):
            if len(comp) < 2:
                continue
            if len(comp) <= LOUVAIN_MIN_SIZE:
                out.append(frozenset(comp))
                continue
            out.extend(c for c in _louvain(h, comp) if len(c) >= 2)
        return sorted(out, key=min)
    return proj.derive("communities", build)


def _louvain(h: nx.Graph, comp: set[str]) -> list[frozenset[str]]:
    """Louvain on one component, after folding the trees that hang off it into the entity they
    hang from (a victim linked to one venue only always joins that venue's group; folding keeps
    every degree and the total weight, as a self-loop, so modularity is unchanged)."""
    adj: dict[str, dict[str, float]] = {u: {} for u in comp}
    for u, v, d in h.subgraph(comp).edges(data=True):
        adj[u][v] = adj[v][u] = d["weight"]
    total = sum(w for u in adj for w in adj[u].values()) / 2
    loops: dict[str, float] = dict.fromkeys(adj, 0.0)
    owner: dict[str, str] = {}
    leaves = sorted(u for u, nb in adj.items() if len(nb) == 1)
    while leaves:
        nxt = []
        for leaf in leaves:
            nb = adj.get(leaf)
            if not nb or len(nb) != 1:
                continue
            (parent, w), = nb.items()
            if len(adj[parent]) == 1 and parent < leaf:
                continue  # the last two of a tree: keep the smaller id as the one that remains
            owner[leaf] = parent
            loops[parent] += loops.pop(leaf) + w
            del adj[leaf]
            del adj[parent][leaf]
            if len(adj[parent]) == 1:
                nxt.append(parent)
        leaves = sorted(nxt)
    sub = nx.Graph()
    sub.add_nodes_from(sorted(adj))
    sub.add_weighted_edges_from(sorted((u, v, w) for u in adj for v, w in adj[u].items() if u < v))
    sub.add_weighted_edges_from((u, u, w) for u, w in sorted(loops.items()) if w)
    resolution = max(MIN_RESOLUTION, total / RESOLUTION_MASS)
    groups = nx.community.louvain_communities(sub, weight="weight", resolution=resolution, seed=SEED)
    root: dict[str, str] = {}

    def top(x: str) -> str:
        while x in owner:
            x = owner[x]
        return x

    members: dict[str, set[str]] = {}
    for grp in groups:
        anchor = min(grp)
        for u in grp:
            root[u] = anchor
        members[anchor] = set(grp)
    for leaf in owner:
        members[root[top(leaf)]].add(leaf)
    return [frozenset(m) for m in members.values()]


_HOME_ROLES = {Role.RESIDENCE.value, Role.MENTIONED.value, Role.OTHER.value, Role.UNKNOWN.value}


def _victims_home(proj: Projection, loc: str, members: frozenset[str]) -> bool:
    """A place only the group's victims live at (not a venue, not an offender's address)."""
    e = proj.entities[loc]
    if set(e.get("roles") or []) - _HOME_ROLES or is_venue(e):
        return False
    near = [proj.entities[v] for v in proj.graph[loc] if v in members]
    return bool(near) and all(n["entity_type"] == "person" and not set(n.get("roles") or []) & _OFFENDERS
                              for n in near)


def _force_support(proj: Projection, members: frozenset[str]) -> dict[str, int]:
    """force -> how many distinct reports link the group's places in that force to the group
    (victims' own homes left out)."""
    g = proj.graph
    reports: dict[str, set[str]] = defaultdict(set)
    for m in members:
        e = proj.entities[m]
        if e["entity_type"] != "location" or not e.get("forces") or _victims_home(proj, m, members):
            continue
        rids = {r for v, d in g[m].items() if v in members for l in d["links"] for r in l["report_ids"]}
        for f in e["forces"]:
            reports[f] |= rids
    return {f: len(r) for f, r in reports.items()}


def network_id(members) -> str:
    return "net-" + stable_hash(min(members), length=12)


def describe(store, proj: Projection, members: frozenset[str]) -> dict:
    ents = {m: proj.entities[m] for m in members}
    by_type: dict[str, list[str]] = defaultdict(list)
    for m in sorted(members):
        by_type[ents[m]["entity_type"]].append(m)
    victims, suspects, venues, children = [], [], [], 0
    for m in sorted(members):
        e = ents[m]
        roles = set(e.get("roles") or [])
        if e["entity_type"] == "person":
            if Role.VICTIM.value in roles:
                victims.append(entity_summary(e))
                if (e.get("attrs") or {}).get("is_child") or "child" in (e.get("flags") or []):
                    children += 1
            if roles & _OFFENDERS:
                suspects.append(entity_summary(e))
        elif is_venue(e):
            venues.append(entity_summary(e))
    support = _force_support(proj, members)
    best = max(support.values(), default=0)
    forces = sorted(f for f, n in support.items() if n >= MIN_FORCE_REPORTS and n >= MIN_FORCE_SHARE * best)
    weak_forces = sorted(set(support) - set(forces))
    regions = sorted({rocu_region(f) for f in forces if f in FORCE_CODES})
    reports = report_index(store, proj)
    g = proj.graph
    rids: set[str] = set()
    first = last = None
    for u in members:
        for v, d in g[u].items():
            if v in members and u < v:
                for l in d["links"]:
                    rids.update(l.get("report_ids") or [])
                if d["first_seen"] and (first is None or d["first_seen"] < first):
                    first = d["first_seen"]
                if d["last_seen"] and (last is None or d["last_seen"] > last):
                    last = d["last_seen"]
    exploitation = sorted({t for r in rids for t in (reports.get(r) or {}).get("exploitation_types") or []})
    others = len(members) - len(victims) - len(suspects) - len(venues)
    base = (2 * len(victims) + 1.5 * len(suspects) + len(venues) + 2 * children
            + 3 * max(len(forces) - 1, 0) + 0.25 * max(others, 0))
    return {
        "network_id": network_id(members), "size": len(members),
        "members_by_type": dict(sorted(by_type.items())),
        "victims": victims, "suspects": suspects, "venues": venues,
        "child_victims": children, "exploitation_types": exploitation,
        "forces": forces, "rocu_regions": regions, "cross_border": len(forces) >= 2,
        "other_forces": weak_forces, "force_reports": dict(sorted(support.items())),
        "first_seen": first, "last_seen": last, "report_count": len(rids),
        "score": round(recency(last, proj.as_of) * base, 3),
        "member_ids": sorted(members),
    }


def _all(store, proj: Projection) -> list[dict]:
    return proj.derive("networks", lambda p: [describe(store, p, c) for c in communities(p)])


# -- saved networks ------------------------------------------------------------------------------
# Finding the networks of a large graph takes seconds to tens of seconds, and a process that
# starts cold (a scheduled scan, a CLI command, a read-only scan beside the API) would find
# them again although nothing changed. So the networks are saved in the store's documents with
# the graph version they were found under (every write to the entity graph replaces that
# token) and the method they were found with; they are reused while both are the same.
SAVED = "analytics"
SAVED_DOC = "networks"
# Everything that decides the networks besides the graph; bump the leading number when
# `communities` or `describe` change what they give.
METHOD = (f"1/seed={SEED}/mass={RESOLUTION_MASS}/minres={MIN_RESOLUTION}/louvain={LOUVAIN_MIN_SIZE}"
          f"/forces={MIN_FORCE_REPORTS},{MIN_FORCE_SHARE}")
_DATES = ("first_seen", "last_seen")


def all_networks(store) -> list[dict]:
    """Every network (any size, as `describe` gives it), in `communities` order: from this
    process's projection when it has them, else saved ones that are still current, else found
    now (and saved when the store is writable)."""
    proj = cached_projection(store)
    if proj is not None and "networks" in proj.derived:
        return proj.derived["networks"]
    saved = load_saved(store)
    if saved is not None:
        return saved
    read_only = bool(getattr(store, "read_only", False))
    version = store.graph_version() if read_only else store.ensure_graph_version()
    proj = projection(store)
    nets = _all(store, proj)
    if not read_only and version is not None:
        save(store, version, nets)
    return nets


def refresh_networks(store) -> dict:
    """Find the networks now unless the saved ones are current, and save them: what `linkage
    resolve` does after refreshing the flags, so the next cold process (the daily scan) reads
    them instead of finding them. Returns {"networks": how many, "found": whether they were
    found now (False: the saved ones were current)}."""
    saved = load_saved(store)
    if saved is not None:
        return {"networks": len(saved), "found": False}
    version = store.ensure_graph_version()
    nets = _all(store, projection(store))
    save(store, version, nets)
    return {"networks": len(nets), "found": True}


def save(store, version: str, nets: list[dict]) -> None:
    # as JSON text of its own: put_docs sorts keys, and callers see a network's fields in order
    body = json.dumps(nets, ensure_ascii=False, separators=(",", ":"), default=_iso)
    store.put_docs(SAVED, {SAVED_DOC: {"graph_version": version, "method": METHOD, "networks": body}})


def load_saved(store) -> list[dict] | None:
    """The saved networks when they were found under the store's current graph version with
    this method, else None."""
    version = store.graph_version()
    if version is None:
        return None
    skey = _store_key(store)
    with _LOADED_LOCK:
        held = _LOADED.get(skey)
    if held is not None and held[0] == version:
        return held[1]
    doc = store.get_doc(SAVED, SAVED_DOC)
    if not doc or doc.get("graph_version") != version or doc.get("method") != METHOD:
        return None
    nets = json.loads(doc["networks"])
    for n in nets:
        for k in _DATES:
            if n.get(k):
                n[k] = date.fromisoformat(n[k])
    with _LOADED_LOCK:
        _LOADED[skey] = (version, nets)
    return nets


# Saved networks already read by this process, per store: (graph version, networks). A long-lived
# process (the API) then answers with one query for the version instead of reading them again.
_LOADED: dict[tuple, tuple[str, list[dict]]] = {}
_LOADED_LOCK = threading.Lock()


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot save a {type(value).__name__} in a network")


def find_networks(store, cross_border: bool = False, force: str | None = None,
                  min_size: int = 3) -> list[dict]:
    """Networks of at least `min_size` entities, highest score first. `cross_border` keeps those
    with two or more `forces`; `force` those with a place in that force (`forces` or
    `other_forces`)."""
    if force is not None and force not in FORCE_CODES:
        raise UserError(f"unknown force code {force!r}")
    if min_size < 2:
        raise UserError("a network has at least 2 members (min_size >= 2)")
    out = []
    for n in all_networks(store):
        if n["size"] < min_size:
            continue
        if cross_border and len(n["forces"]) < 2:
            continue
        if force and force not in n["forces"] and force not in n["other_forces"]:
            continue
        out.append(n)
    out.sort(key=lambda n: (-n["score"], n["network_id"]))
    return out


def network_of(store, entity_id: str) -> dict | None:
    """The network an entity belongs to, or None (a hub, or linked to nothing)."""
    proj = projection(store)
    if entity_id not in proj.entities:
        raise NotFound(f"no entity {entity_id}")
    index = proj.derive("network_index", lambda p: {m: i for i, n in enumerate(_all(store, p))
                                                     for m in n["member_ids"]})
    i = index.get(entity_id)
    return None if i is None else _all(store, proj)[i]
