"""The resolution run: records -> entities, incremental by default, `full` from scratch.

Side effects only at the ends (read the store, write the store); the middle is pure.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from linkage.gcpause import gc_paused
from linkage.model import EXACT_TYPES, FUZZY_TYPES, Membership
from linkage.resolve.blocking import candidate_pairs
from linkage.resolve.clustering import ConstrainedClusters
from linkage.resolve.compare import compare_all, pair_weights
from linkage.resolve.config import ResolutionConfig
from linkage.resolve.entities import ALL_TIME, build_entity_links, mark_superseded, summarise
from linkage.resolve.features import context_of, person_places
from linkage.resolve.ids import assign_ids, value_id
from linkage.resolve.scoring import ScoreModel, Scorer, estimate_m, estimate_u, probability
from linkage.resolve.types import SPECS, TypeSpec
from linkage.resolve.units import group as group_units
from linkage.store.rows import entity_row

log = logging.getLogger(__name__)

MODEL_DOCS = "resolution_model"
REVIEW_DOCS = "review"
STATE_DOCS = "resolution_state"


@dataclass
class TypeResult:
    record_type: str
    records: int = 0
    dirty: int = 0
    pairs: int = 0
    matches: int = 0
    review: int = 0
    refused: int = 0
    entities: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process, all its threads


@dataclass
class ResolveReport:
    full: bool
    types: dict[str, TypeResult] = field(default_factory=dict)
    entities_written: int = 0
    entities_removed: int = 0
    entity_links: int = 0
    seconds: float = 0.0


@dataclass
class Prepared:
    """Everything a resolution (or an explanation) needs, read from the store once."""

    records: dict[str, list[dict]]
    ctx: dict
    reports: dict[str, dict]
    links: list[dict]


def prepare(store) -> Prepared:
    recs = store.records()
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in recs:
        by_type[r["record_type"]].append(r)
    values = {r["record_id"]: (r["record_type"], r["value"]) for r in recs}
    links = store.record_links()
    reports = mark_superseded(store.reports_between(*ALL_TIME))
    return Prepared(by_type, context_of(links, values), reports, links)


def build_features(spec: TypeSpec, records: list[dict], ctx: dict) -> list:
    if spec.uses_context:
        return [spec.build(r, ctx.get(r["record_id"])) for r in records]
    return [spec.build(r) for r in records]


def term_frequencies(spec: TypeSpec, feats: list) -> dict[str, float]:
    """How common each name is among distinct identities, not among records.

    Counting records would make a name common because one person is reported fifty times, and
    penalise exactly the people analysts most need linked. So a name counts once per distinct
    identity behind it, estimated by its distinct exact dates of birth (people) or postcodes
    (businesses), at least once."""
    if spec.tf_key is None:
        return {}
    idents: dict[str, set] = {}
    for f in feats:
        marker = spec.identity(f) if spec.identity else None
        for v in spec.tf_key(f):
            if v:
                s = idents.setdefault(v, set())
                if marker:
                    s.add(marker)
    counts = {v: max(1, len(s)) for v, s in idents.items()}
    total = max(sum(counts.values()), 1)
    return {v: c / total for v, c in counts.items()}


def fit_model(spec: TypeSpec, cfg: ResolutionConfig, feats: list, level_counts: Counter,
              compare=None) -> ScoreModel:
    priors = cfg.priors[spec.record_type]
    names = list(spec.comparisons)
    params = {c: dict(lv) for c, lv in priors.items()}
    lam = cfg.prior_match
    if spec.em and cfg.use_em and len(feats) > 50 and level_counts:
        u = estimate_u(feats, spec.comparisons, priors, min(cfg.u_sample_pairs, len(feats) * 20),
                       compare=compare)
        m, lam_candidates = estimate_m(level_counts, names, priors, u, cfg.prior_match, cfg.em_iterations)
        params = {c: {l: (m[c][l], u[c][l]) for l in priors[c]} for c in names}
        # EM's match rate is among blocked candidates, which are mostly matches; decisions need
        # the chance that two records drawn at random match (Splink's
        # probability_two_random_records_match): scale by candidates / all pairs.
        n = len(feats)
        all_pairs = n * (n - 1) / 2
        lam = min(max(lam_candidates * sum(level_counts.values()) / all_pairs, 1e-7), 0.5)
    return ScoreModel(spec.record_type, params, lam, tf_floor=cfg.tf_floor,
                      tf_comparison=spec.tf_comparison if cfg.tf_adjust else None)


def model_fits(doc: dict, spec: TypeSpec, cfg: ResolutionConfig) -> bool:
    """Whether a saved model has weights for exactly today's comparisons and levels."""
    params = doc.get("params") or {}
    priors = cfg.priors[spec.record_type]
    return set(params) == set(spec.comparisons) and all(
        set(params[c]) == set(priors.get(c, {})) for c in spec.comparisons)


def resolve_type(spec: TypeSpec, records: list[dict], ctx: dict, cfg: ResolutionConfig,
                 previous: dict[str, str], judgements: list, stored_model: dict | None,
                 full: bool, dirty_entities: set[str], refit: bool = False) -> tuple[list[list[str]], list[dict], dict[str, tuple[float, str]], ScoreModel, TypeResult]:
    """Cluster one record type. Returns clusters (record ids), review items, per-record (score,
    rule), the fitted model and figures.

    Records that are certainly one entity are grouped into units first (units.py); blocking,
    comparison, scoring and clustering then work on units."""
    t0, c0 = time.perf_counter(), time.process_time()
    res = TypeResult(spec.record_type, records=len(records))
    rec_feats = build_features(spec, records, ctx)
    index = {r["record_id"]: i for i, r in enumerate(records)}
    rec_dirty = [full or r["record_id"] not in previous or previous[r["record_id"]] in dirty_entities
                 for r in records]
    res.dirty = sum(rec_dirty)

    latest: dict[frozenset, object] = {}
    for jd in sorted(judgements, key=lambda j: (j.at, j.judgement_id)):
        latest[frozenset((jd.record_a, jd.record_b))] = jd  # on one pair, the latest decision wins
    judged_apart = {index[r] for jd in latest.values() if jd.decision != "same"
                    for r in (jd.record_a, jd.record_b) if r in index}
    units = group_units(rec_feats, spec.unit_key, spec.merge, alone=judged_apart,
                        previous_of=[None if rec_dirty[i] else previous[r["record_id"]]
                                     for i, r in enumerate(records)])
    feats = units.feats
    dirty = [any(rec_dirty[i] for i in m) for m in units.members]
    needs = [spec.needs_sparse(f) for f in feats] if spec.needs_sparse else None
    pairs, stats = candidate_pairs(feats, spec.keys, cfg.max_block, None if full else dirty, spec.sort_key,
                                   spec.sparse_prefixes, needs)
    res.pairs = len(pairs)
    left, right = pairs[:, 0].copy(), pairs[:, 1].copy()
    del pairs
    compared = compare_all(spec, feats, left, right)
    fns = list(spec.comparisons.values())

    def compare(i: int, j: int) -> tuple:
        return tuple(fn(feats[i], feats[j]) for fn in fns)

    current_tf = term_frequencies(spec, rec_feats)
    if stored_model is not None and not refit:
        # Parameters and name frequencies are those of the last fit, so a pair of records
        # scores the same in every run until an analyst asks for a refit: incremental and full
        # runs then take the same decisions on the same data.
        model = ScoreModel.from_doc(stored_model, stored_model.get("tf") or {})
        model.tf_floor = cfg.tf_floor
        if not cfg.tf_adjust:
            model.tf_comparison = None
        for v, f in current_tf.items():
            model.tf.setdefault(v, f)
    else:
        model = fit_model(spec, cfg, feats, compared.vector_counts(), compare)
        model.tf = current_tf
    scorer = Scorer(model, spec.comparisons, spec.tf_key)
    names = list(spec.comparisons)
    weights = pair_weights(spec, model, feats, compared, left, right)
    constrained = [spec.constrained(f) for f in feats]

    hard_ids = _intern([spec.hard_key(f) for f in feats]) if spec.hard_key else None
    cannot = _cached_cannot(spec.cannot_link, feats, hard_ids)

    unit_of = units.unit_of
    not_same = []
    same = []
    for jd in latest.values():
        a, b = index.get(jd.record_a), index.get(jd.record_b)
        if a is None or b is None:
            continue
        (same if jd.decision == "same" else not_same).append((unit_of[a], unit_of[b], jd))
    cl = ConstrainedClusters(len(feats), constrained, cannot, [(a, b) for a, b, _ in not_same], hard_ids)
    why: dict[str, tuple[float, str]] = {}
    if not full:
        groups: dict[str, list[int]] = defaultdict(list)
        for u, m in enumerate(units.members):
            if not dirty[u]:
                groups[previous[records[m[0]]["record_id"]]].append(u)
        for members in groups.values():
            for k in members[1:]:
                cl.union(members[0], k, force=True)
    for a, b, jd in same:
        cl.union(a, b, force=True)
        why[jd.record_a] = (1.0, f"judgement:{jd.judgement_id}")
        why[jd.record_b] = (1.0, f"judgement:{jd.judgement_id}")
    match_w = _logit(cfg.match_probability)
    review_w = _logit(cfg.review_probability)
    # strongest first; pairs below the review band never matter, so they are not even sorted
    live = np.nonzero(weights >= review_w)[0]
    order = live[np.lexsort((right[live], left[live], -weights[live]))]
    ordered_w = weights[order]
    n_match = int(np.count_nonzero(ordered_w >= match_w))  # a prefix: sorted strongest first
    # the cannot-link rule over every live pair at once, where the type has it in arrays
    many = getattr(spec.cannot_link, "many", None)
    known = None
    if many is not None and len(order):
        known = many(feats, left[order], right[order],
                     lambda comparison, level: compared.level_is(comparison, level, order)).tolist()
    united = np.array(cl.union_all(left[order[:n_match]].tolist(), right[order[:n_match]].tolist(),
                                   known), dtype=bool)
    res.matches = int(united.sum())
    res.refused = cl.refused
    # a unit's score: the probability of the strongest match it took part in
    best_w = np.full(len(feats), -np.inf)
    took = order[:n_match][united]
    np.maximum.at(best_w, left[took], weights[took])
    np.maximum.at(best_w, right[took], weights[took])
    record_ids = [r["record_id"] for r in records]
    reasons: dict[float, tuple[float, str]] = {}  # units share few distinct weights
    for u, (members, w) in enumerate(zip(units.members, best_w.tolist())):
        if w == -np.inf:
            if len(members) == 1:
                continue
            w = scorer.score(rec_feats[members[0]], rec_feats[members[1]])
        reason = reasons.get(w)
        if reason is None:
            p = round(probability(w), 6)
            reason = reasons[w] = (p, f"match:{p:.4f}")
        for k in members:
            rid = record_ids[k]
            if rid not in why:
                why[rid] = reason
    judged = set(latest)
    review = []
    # review band pairs whose units ended up apart (roots compared in arrays, not one by one)
    root = np.fromiter((cl.find(i) for i in range(len(feats))), dtype=np.int64, count=len(feats))
    band_at = n_match + np.nonzero(root[left[order[n_match:]]] != root[right[order[n_match:]]])[0]
    band = order[band_at]
    # One item per pair of entities: its strongest pair of records, and how many record pairs
    # between the two entities fell in the band. Two entities that can never be one (a
    # conflict or an analyst's "not same" between any of their members) are not asked about.
    # The comparison vectors' levels are made once each (items share them; nothing edits them).
    vector_dicts: dict[int, dict] = {}
    unit_record = [records[m[0]]["record_id"] for m in units.members]
    n_units = len(feats)
    b_left, b_right = left[band], right[band]
    b_ra, b_rb = root[b_left], root[b_right]
    entity_pair = np.minimum(b_ra, b_rb) * n_units + np.maximum(b_ra, b_rb)
    keys, first, n_pairs = np.unique(entity_pair, return_index=True, return_counts=True)
    for k in np.argsort(first, kind="stable").tolist():  # strongest first, as the band is
        at = int(first[k])
        i, j = int(b_left[at]), int(b_right[at])
        ri, rj = int(b_ra[at]), int(b_rb[at])
        if cl.refuses(ri, rj, i, j, None if known is None else known[int(band_at[at])]):
            continue
        if judged and frozenset((unit_record[i], unit_record[j])) in judged:
            # this pair was decided by an analyst; the next pair between the two may still ask
            rest = [p for p in np.nonzero(entity_pair == keys[k])[0].tolist()
                    if frozenset((unit_record[int(b_left[p])], unit_record[int(b_right[p])])) not in judged]
            if not rest:
                continue
            at = rest[0]
            i, j = int(b_left[at]), int(b_right[at])
        vec = int(compared.inverse[band[at]])
        levels = vector_dicts.get(vec)
        if levels is None:
            levels = vector_dicts[vec] = dict(zip(names, compared.levels(compared.unique[vec])))
        w = float(weights[band[at]])
        review.append({"record_a": unit_record[i], "record_b": unit_record[j],
                       "entity_type": spec.record_type, "probability": round(probability(w), 4),
                       "weight": round(w, 3), "levels": levels, "record_pairs": int(n_pairs[k])})
    res.review = len(review)
    clusters = [sorted(record_ids[k] for u in g for k in units.members[u]) for g in cl.groups()]
    res.entities = len(clusters)
    res.seconds = time.perf_counter() - t0
    res.cpu_seconds = time.process_time() - c0
    return clusters, review, why, model, res


# Venues and businesses first: whether two person mentions act at the same venue is evidence for
# people, and it needs the venues' entities (features.place_context).
RESOLUTION_ORDER = ("location", "business", "person")
assert set(RESOLUTION_ORDER) == {t.value for t in FUZZY_TYPES}


def _add_places(prep: Prepared, entity_of: dict[str, str], cfg: ResolutionConfig) -> None:
    records = [r for t in ("person", "location", "business") for r in prep.records.get(t, [])]
    for rid, places in person_places(prep.links, records, entity_of,
                                     max_names=cfg.max_place_names).items():
        prep.ctx[rid]["places"] = places


def _intern(keys: list) -> list[int]:
    ids: dict = {}
    return [ids.setdefault(k, len(ids)) for k in keys]


def _cached_cannot(rule: Callable, feats: list, hard_ids: list[int] | None) -> Callable[[int, int], str | None]:
    """rule(feats[i], feats[j]), remembered per pair of hard keys: clustering and the review
    queue ask it hundreds of thousands of times about a few distinct pairs of values."""
    if hard_ids is None:
        return lambda i, j: rule(feats[i], feats[j])
    seen: dict[tuple[int, int], str | None] = {}

    def cannot(i: int, j: int) -> str | None:
        key = (hard_ids[i], hard_ids[j])
        if key in seen:
            return seen[key]
        reason = seen[key] = rule(feats[i], feats[j])
        return reason
    cannot.seen = seen  # clustering reads answers by hard keys straight from here
    return cannot


def _logit(p: float) -> float:
    import math

    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log2(p / (1 - p))


def resolve(store, cfg: ResolutionConfig | None = None, *, full: bool = False, refit: bool = False,
            on_stage: Callable[[str], None] | None = None) -> ResolveReport:
    with gc_paused():
        return _resolve(store, cfg, full=full, refit=refit, on_stage=on_stage)


def _resolve(store, cfg: ResolutionConfig | None, *, full: bool, refit: bool,
             on_stage: Callable[[str], None] | None) -> ResolveReport:
    cfg = cfg or ResolutionConfig()
    t0 = time.perf_counter()
    stage = on_stage or (lambda s: None)
    report = ResolveReport(full=full)
    stage("reading records")
    prep = prepare(store)
    previous_all = store.memberships()
    if not previous_all:
        full = True
        report.full = True
    judgements = store.judgements()
    state = store.get_doc(STATE_DOCS, "last") or {}
    applied = set(state.get("judgements", []))
    current = {j.judgement_id for j in judgements}
    changed_j = (applied ^ current)
    all_j = {j.judgement_id: j for j in store.judgements(include_undone=True)}
    touched_records = set()
    for jid in changed_j:
        j = all_j.get(jid)
        if j:
            touched_records.update((j.record_a, j.record_b))
    # a not-same judgement between records currently together dissolves their entity
    for j in judgements:
        if j.decision != "same":
            ea, eb = previous_all.get(j.record_a), previous_all.get(j.record_b)
            if ea and eb and ea[0] == eb[0]:
                touched_records.update((j.record_a, j.record_b))
    dirty_entities = {previous_all[r][0] for r in touched_records if r in previous_all}

    entities = []
    memberships: list[Membership] = []
    reviews: list[dict] = []
    entity_of: dict[str, str] = {}
    for rtype in RESOLUTION_ORDER:
        if rtype == "person":
            _add_places(prep, entity_of, cfg)
        records = sorted(prep.records.get(rtype, []), key=lambda r: r["record_id"])
        stage(f"resolving {rtype} records ({len(records):,})")
        ids_of_type = {x["record_id"] for x in records}
        previous = {r: v[0] for r, v in previous_all.items() if r in ids_of_type}
        stored_model = store.get_doc(MODEL_DOCS, rtype)
        if stored_model is not None and not model_fits(stored_model, SPECS[rtype], cfg):
            # saved by a version with other comparisons or levels (a new comparison such as
            # "place"): its weights cannot score today's pairs, so this run fits afresh
            log.info("the saved %s model does not match today's comparisons: refitted", rtype)
            stored_model = None
        clusters, review, why, model, res = resolve_type(
            SPECS[rtype], records, prep.ctx, cfg, previous, judgements, stored_model, full, dirty_entities,
            refit=refit or stored_model is None)
        report.types[rtype] = res
        if refit or stored_model is None:
            doc = model.to_doc()
            doc["tf"] = model.tf
            store.put_docs(MODEL_DOCS, {rtype: doc})
        reviews += review
        ids = assign_ids(rtype, clusters, previous)
        by_id = {r["record_id"]: r for r in records}
        for eid, members in zip(ids, clusters):
            recs = [by_id[m] for m in members]
            entities.append(summarise(eid, rtype, recs, {}))
            for m in members:
                score, rule = why.get(m, (1.0, "singleton" if len(members) == 1 else "cluster"))
                memberships.append(Membership(m, eid, score, rule))
                entity_of[m] = eid
    for rtype in EXACT_TYPES:
        rtype = rtype.value
        records = prep.records.get(rtype, [])
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in records:
            groups[r["value"]].append(r)
        res = TypeResult(rtype, records=len(records), entities=len(groups))
        report.types[rtype] = res
        for value, recs in sorted(groups.items()):
            eid = value_id(rtype, value)
            entities.append(summarise(eid, rtype, recs, {}))
            for r in recs:
                memberships.append(Membership(r["record_id"], eid, 1.0, "exact:value"))
                entity_of[r["record_id"]] = eid

    stage("writing entities")
    types = [t.value for t in (*FUZZY_TYPES, *EXACT_TYPES)]
    if full:
        store.replace_resolution(types, entities, memberships)
        report.entities_written = len(entities)
    else:
        old_rows = {e["entity_id"]: e for e in store.all_entities()}
        old_members: dict[str, set] = defaultdict(set)
        for rid, (eid, _s, _r) in previous_all.items():
            old_members[eid].add(rid)
        new_members: dict[str, list[Membership]] = defaultdict(list)
        for m in memberships:
            new_members[m.entity_id].append(m)
        changed = []
        changed_m = []
        for e in entities:
            row = entity_row(e)
            old = old_rows.get(e.entity_id)
            same_members = old_members.get(e.entity_id) == {m.record_id for m in new_members[e.entity_id]}
            if old is None or not same_members or not _same_entity(old, row):
                changed.append(e)
                changed_m += new_members[e.entity_id]
        removed = sorted(set(old_rows) - {e.entity_id for e in entities})
        store.update_resolution(changed, changed_m, removed)
        report.entities_written, report.entities_removed = len(changed), len(removed)

    stage("rebuilding entity links")
    elinks = build_entity_links(prep.links, entity_of, prep.reports)
    store.replace_entity_links(elinks)
    report.entity_links = len(elinks)
    # the review queue is rebuilt each run: pairs the scorer could not decide
    old_review = store.list_docs(REVIEW_DOCS)
    new_review = {_pair_id(r["record_a"], r["record_b"]): r for r in reviews}
    store.delete_docs(REVIEW_DOCS, [k for k in old_review if k not in new_review])
    if new_review:
        store.put_docs(REVIEW_DOCS, new_review)
    store.put_docs(STATE_DOCS, {"last": {"judgements": sorted(current), "full": full}})
    report.seconds = time.perf_counter() - t0
    return report


def _pair_id(a: str, b: str) -> str:
    from linkage.model import stable_hash

    x, y = sorted((a, b))
    return stable_hash(x, y, length=16)


def _same_entity(old: dict, new_row: dict) -> bool:
    import json

    for k, v in new_row.items():
        if k == "flags":
            continue
        ov = old.get(k)
        if k == "attrs":
            if json.loads(v) != ov:
                return False
        elif (list(ov) if isinstance(ov, (list, tuple)) else ov) != v:
            return False
    return True
