"""The entity graph as networkx sees it: one projection of the store, cached per database.

Every analytics question (neighbourhood, paths, linked venues, networks, search) reads this
projection rather than walking the store link by link, as Neo4j GDS would project a graph.

The projection is an undirected `networkx.Graph` over every entity:
- a node per entity (its row is in `Projection.entities`);
- an edge per pair of entities that any entity link joins, carrying `links` (the stored link
  rows between the pair, in either direction, with their evidence), `weight` (the sum of the
  links' strengths, see `link_strength`), `first_seen` and `last_seen`.

Benign hubs (`Projection.hubs`) stay in the graph - an analyst looking at a victim must see the
safe house that took them in - but the network algorithms leave them out and walks do not pass
through them, so they never glue unrelated groups together:
- locations that most of their reports describe with a benign use (police station, safe house,
  immigration centre, charity office, hospital, port: `linkage.model.BENIGN_USES`);
- referring organisations (business entities whose records are `referrer`s and never a venue).

Cache: one projection per database (store objects on one path share it), rebuilt when the
store's entity or entity-link counts change or when `invalidate()` is called. The flags refresh
that follows every resolution (CLI, API, scan) calls it, so a long-running process such as the
API never serves a graph older than its own last resolution. The counts (about 40 ms on 10,000
reports) are read again at most every `RECHECK_SECONDS`, which bounds how stale a change made
by another process can be. A resolution run without the flags refresh must call `invalidate()`.
"""

from __future__ import annotations

import functools
import gc
import math
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from linkage.gcpause import gc_paused
from linkage.model import BENIGN_USES, Role, grading_rank

# -- link strength --------------------------------------------------------------------------
# 3x5x2 source evaluation and intelligence assessment as a factor in (0, 1]. Ungraded material
# (NRM referrals, Duty to Notify, partner referrals) is a first-hand or professional account
# that nobody has graded: it counts like untested, indirectly known intelligence.
SOURCE_FACTOR = {"1": 1.0, "2": 0.8, "3": 0.5}
INTEL_FACTOR = {"A": 1.0, "B": 0.9, "C": 0.75, "D": 0.5, "E": 0.2}
UNGRADED_FACTOR = 0.7
# Named together in one submission without a stated relation: weaker than a stated relation.
TYPE_FACTOR = {"MENTIONED_WITH": 0.5}


def grading_factor(grading: str | None) -> float:
    if not grading:
        return UNGRADED_FACTOR
    s, i = split_grading(grading)
    return SOURCE_FACTOR.get(s or "", 0.8) * INTEL_FACTOR.get(i or "", 0.9)


def split_grading(grading: str) -> tuple[str | None, str | None]:
    """"2B", "B2" or "2" / "B" -> (source, intelligence)."""
    g = grading.strip().upper()
    src = next((c for c in g if c in "123"), None)
    intel = next((c for c in g if c in "ABCDE"), None)
    return src, intel


def grading_ok(best: str | None, minimum: str | None) -> bool:
    """True when a link's best grading is at least `minimum` ("2B"); ungraded never is."""
    if minimum is None:
        return True
    if not best:
        return False
    ms, mi = split_grading(minimum)
    bs, bi = split_grading(best)
    return grading_rank(bs, bi) <= grading_rank(ms, mi)


def link_strength(link: dict) -> float:
    """How much one stored entity link says: (1 + log2 reports) x grading factor x type factor.

    One report: 1.0 x grading; four independent reports: 3.0 x grading.
    """
    count = max(int(link.get("count") or 1), 1)
    return (1.0 + math.log2(count)) * grading_factor(link.get("best_grading")) * \
        TYPE_FACTOR.get(link.get("link_type") or "", 1.0)


def recency(last_seen: date | None, as_of: date | None, half_life_days: float = 365.0) -> float:
    """1.0 for activity on `as_of`, halving every year before it; 0.25 when undated."""
    if last_seen is None or as_of is None:
        return 0.25
    days = max((as_of - last_seen).days, 0)
    return 0.5 ** (days / half_life_days)


# -- what an entity is ------------------------------------------------------------------------
_BENIGN = {u.value for u in BENIGN_USES}
CONNECTOR_TYPES = ("person", "phone", "vehicle", "account", "email")


def is_benign_location(entity: dict) -> bool:
    """Most of the mentions of this location give it a benign use (safe house, police station...)."""
    if entity.get("entity_type") != "location":
        return False
    uses = (entity.get("attrs") or {}).get("uses") or {}
    if not uses:
        return False
    benign = sum(n for u, n in uses.items() if u in _BENIGN)
    return benign * 2 >= sum(uses.values()) and benign > 0


def is_referrer_org(entity: dict) -> bool:
    """A referring organisation: named as referrer, never as a venue or a subject's business."""
    if entity.get("entity_type") != "business":
        return False
    roles = set(entity.get("roles") or [])
    return Role.REFERRER.value in roles and not (roles - {Role.REFERRER.value, Role.MENTIONED.value})


def is_hub(entity: dict) -> bool:
    return is_benign_location(entity) or is_referrer_org(entity)


def is_venue(entity: dict) -> bool:
    """Businesses (not referrers), and locations used for exploitation or of a venue type other
    than a private house; never a benign hub."""
    t = entity.get("entity_type")
    if t == "business":
        return not is_referrer_org(entity)
    if t != "location" or is_benign_location(entity):
        return False
    attrs = entity.get("attrs") or {}
    if (attrs.get("uses") or {}).get("exploitation"):
        return True
    return any(v != "private_house" for v in (attrs.get("venue_types") or {}))


def venue_types(entity: dict) -> list[str]:
    return sorted((entity.get("attrs") or {}).get("venue_types") or {})


# -- the projection ---------------------------------------------------------------------------

def settle(collect: bool = False) -> None:
    """Move what is alive now (a projection, its derived results) out of the cycle collector's
    reach (`gc.freeze`). A projection of 100,000 reports is millions of dicts and lists; every
    automatic full collection used to walk all of them, which made rendering 50 linked venues
    take 5 s instead of 0.4 s. Frozen objects are still freed by reference counting when a
    projection is dropped (it holds no reference cycles)."""
    if collect:
        gc.collect()
    gc.freeze()


LINK_FIELDS = ("src", "dst", "link_type", "count", "first_seen", "last_seen", "report_ids",
               "best_grading", "handling", "conditions")

@dataclass
class Projection:
    entities: dict[str, dict]
    graph: nx.Graph
    hubs: frozenset[str]
    as_of: date | None
    key: tuple
    derived: dict[str, Any] = field(default_factory=dict)  # results computed once per projection
    lock: threading.RLock = field(default_factory=threading.RLock)

    def entity(self, entity_id: str) -> dict | None:
        return self.entities.get(entity_id)

    def links_between(self, a: str, b: str) -> list[dict]:
        data = self.graph.get_edge_data(a, b)
        return list(data["links"]) if data else []

    def derive(self, name: str, build):
        """A result computed once per projection (communities, search index ...)."""
        with self.lock:
            if name not in self.derived:
                with gc_paused():
                    self.derived[name] = build(self)
                settle()
            return self.derived[name]


def build_projection(entities: list[dict], links: list[dict], key: tuple = ()) -> Projection:
    ents = {e["entity_id"]: e for e in entities}
    g = nx.Graph()
    g.add_nodes_from(sorted(ents))
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    latest: date | None = None
    for l in links:
        l = {k: l.get(k) for k in LINK_FIELDS}
        l["report_ids"] = list(l["report_ids"] or [])
        l["conditions"] = list(l["conditions"] or [])
        a, b = l["src"], l["dst"]
        if a not in ents or b not in ents or a == b:
            continue
        pairs[(a, b) if a < b else (b, a)].append(l)
        if l.get("last_seen") and (latest is None or l["last_seen"] > latest):
            latest = l["last_seen"]
    for (a, b) in sorted(pairs):
        ls = sorted(pairs[(a, b)], key=lambda l: (l["link_type"], l["src"]))
        firsts = [l["first_seen"] for l in ls if l.get("first_seen")]
        lasts = [l["last_seen"] for l in ls if l.get("last_seen")]
        g.add_edge(a, b, links=ls, weight=sum(link_strength(l) for l in ls),
                   first_seen=min(firsts) if firsts else None,
                   last_seen=max(lasts) if lasts else None)
    hubs = frozenset(eid for eid, e in ents.items() if is_hub(e))
    return Projection(ents, g, hubs, latest, key)


class _Cache:
    def __init__(self):
        self.by_store: dict[tuple, Projection] = {}
        self.checked: dict[tuple, float] = {}
        self.generation = 0
        self.lock = threading.Lock()


def _store_key(store) -> tuple:
    """Stores that open the same database share a projection: the embedded adapter keeps one
    database per path per process, so two store objects on one path see the same graph (each CLI
    command opens its own). A read-only open sees a snapshot of its own."""
    path = getattr(store, "path", None)
    if path is not None:
        path = str(path)
        where = _resolved(path) if os.path.isabs(path) else str(Path(path).resolve())
        return (type(store).__name__, where, bool(getattr(store, "read_only", False)))
    return (type(store).__name__, id(store))


@functools.lru_cache(maxsize=64)
def _resolved(path: str) -> str:
    # Every read asks for its store's key, and resolving makes a system call per path part.
    # Only absolute paths are remembered: a relative one means another folder after a chdir.
    return str(Path(path).resolve())


_CACHE = _Cache()
# How long a projection is served without asking the store whether it changed. Changes made in
# this process (resolution, flags) call `invalidate()` and are seen at once; this only bounds
# how stale a graph changed by another process can be.
RECHECK_SECONDS = 2.0
def invalidate(store: Any = None) -> None:
    """Forget cached projections (of one store, or all): the next read rebuilds."""
    with _CACHE.lock:
        _CACHE.generation += 1
        if store is None:
            _CACHE.by_store.clear()
            _CACHE.checked.clear()
        else:
            _CACHE.by_store.pop(_store_key(store), None)
            _CACHE.checked.pop(_store_key(store), None)


def _fingerprint(store) -> tuple:
    counts = store.counts()
    return (counts.get("Entity", 0), counts.get("LINKED", 0), _CACHE.generation)


def projection(store, *, fresh: bool = False) -> Projection:
    """The cached projection of this store (rebuilt when the store changed)."""
    now = time.monotonic()
    skey = _store_key(store)
    with _CACHE.lock:
        cached = None if fresh else _CACHE.by_store.get(skey)
        recent = cached is not None and now - _CACHE.checked.get(skey, 0.0) < RECHECK_SECONDS
        generation = _CACHE.generation
    if recent and cached.key[-1] == generation:
        return cached
    key = _fingerprint(store)
    if cached is not None and cached.key == key:
        with _CACHE.lock:
            _CACHE.checked[skey] = now
        return cached
    with gc_paused():
        proj = build_projection(store.all_entities(), store.entity_links(), key)
    settle(collect=True)
    with _CACHE.lock:
        _CACHE.by_store[skey] = proj
        _CACHE.checked[skey] = now
    return proj


def cached_projection(store) -> Projection | None:
    """This store's projection when this process holds one (checked as `projection` checks it),
    else None: never builds one from nothing."""
    with _CACHE.lock:
        held = _store_key(store) in _CACHE.by_store
    return projection(store) if held else None


# -- evidence ---------------------------------------------------------------------------------

REPORT_FIELDS = ("report_id", "kind", "source_ref", "organisation", "reported_at", "force",
                 "grading_source", "grading_intel", "handling", "conditions",
                 "exploitation_types", "child_involved")


def report_index(store, proj: Projection) -> dict[str, dict]:
    """report_id -> the report's summary (no payload, no narrative), loaded once per projection."""
    def build(_p):
        return {r["report_id"]: {k: r.get(k) for k in REPORT_FIELDS} for r in store.report_summaries()}
    return proj.derive("reports", build)


def report_summaries(store, report_ids, proj: Projection | None = None) -> list[dict]:
    """Summaries of these reports: kind, source ref, date, grading, handling and conditions."""
    ids = list(dict.fromkeys(report_ids))
    if proj is not None and "reports" in proj.derived:
        index = proj.derived["reports"]
        rows = [index[i] for i in ids if i in index]
    else:
        rows = [{k: r.get(k) for k in REPORT_FIELDS} for r in store.reports(ids)]
    out = []
    for r in rows:
        r = dict(r)
        g = f"{r.pop('grading_source') or ''}{r.pop('grading_intel') or ''}"
        r["grading"] = g or None
        out.append(r)
    out.sort(key=lambda r: (r.get("reported_at") or date.min, r["report_id"]))
    return out


def entity_summary(entity: dict) -> dict:
    """The few fields that name an entity in a list (no attributes)."""
    return {"entity_id": entity["entity_id"], "entity_type": entity["entity_type"],
            "label": entity.get("label"), "forces": list(entity.get("forces") or []),
            "roles": list(entity.get("roles") or []), "flags": list(entity.get("flags") or [])}


def public_link(link: dict) -> dict:
    """A link row as callers see it: src, dst, link_type, count, first/last seen, report_ids,
    best_grading, handling and conditions (which travel with handling code C). A shallow copy:
    its lists are shared with the cached projection and must not be changed."""
    return dict(link)
