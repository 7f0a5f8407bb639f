"""Analysts' decisions: judgements (same / not same, undo), splits, the review queue, and the
explanation of a pair. Judgements are stored decisions the clustering reads; nothing here edits
an entity directly - the next resolution run applies them, and every later run respects them."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from linkage.errors import NotFound, UserError
from linkage.model import Decision, Judgement
from linkage.resolve.config import ResolutionConfig
from linkage.resolve.features import context_of, person_places
from linkage.resolve.pipeline import MODEL_DOCS, REVIEW_DOCS, build_features, model_fits, term_frequencies
from linkage.resolve.scoring import ScoreModel, Scorer
from linkage.resolve.types import SPECS


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def judge(store, decision: str, record_a: str, record_b: str, *, by: str, reason: str) -> Judgement:
    if decision not in (Decision.SAME, Decision.NOT_SAME):
        raise UserError(f"a judgement is 'same' or 'not-same', not {decision!r}")
    if not by.strip():
        raise UserError("say who is making the judgement (--by NAME)")
    if not reason.strip():
        raise UserError("give a reason for the judgement (--reason TEXT)")
    if record_a == record_b:
        raise UserError("a judgement needs two different records")
    recs = {r["record_id"]: r for r in store.records_by_id([record_a, record_b])}
    for rid in (record_a, record_b):
        if rid not in recs:
            raise NotFound(f"no record {rid}")
    if recs[record_a]["record_type"] != recs[record_b]["record_type"]:
        raise UserError("both records must be of the same type")
    j = Judgement(f"J-{uuid.uuid4().hex[:12]}", record_a, record_b, str(decision), by.strip(),
                  reason.strip(), _now())
    store.add_judgement(j)
    return j


def undo(store, judgement_id: str, *, by: str) -> Judgement:
    j = store.undo_judgement(judgement_id, by, _now())
    if j is None:
        raise NotFound(f"no judgement {judgement_id}")
    return j


def split(store, entity_id: str, record_ids: list[str], *, by: str, reason: str) -> list[Judgement]:
    """Move these records out of the entity into one of their own: recorded as judgements
    (same among the records moved, not-same between them and every record left behind)."""
    ent = store.entity(entity_id)
    if ent is None:
        raise NotFound(f"no entity {entity_id}")
    members = [r["record_id"] for r in ent["records"]]
    moving = list(dict.fromkeys(record_ids))
    missing = [r for r in moving if r not in members]
    if missing:
        raise UserError(f"records not in {entity_id}: {', '.join(missing)}")
    staying = [r for r in members if r not in moving]
    if not moving or not staying:
        raise UserError("a split moves some, not all, of an entity's records")
    moving_set, staying_set = set(moving), set(staying)
    for j in store.judgements():
        if j.decision == "same" and ({j.record_a, j.record_b} & moving_set) and ({j.record_a, j.record_b} & staying_set):
            store.undo_judgement(j.judgement_id, by, _now())  # the split supersedes it
    out = []
    for a, b in zip(moving, moving[1:]):
        out.append(judge(store, "same", a, b, by=by, reason=f"split of {entity_id}: {reason}"))
    for a in moving:
        for b in staying:
            out.append(judge(store, "not-same", a, b, by=by, reason=f"split of {entity_id}: {reason}"))
    return out


def review_queue(store, entity_type: str | None = None) -> list[dict]:
    items = [dict(v, pair_id=k) for k, v in store.list_docs(REVIEW_DOCS).items()]
    if entity_type:
        items = [i for i in items if i["entity_type"] == entity_type]
    return sorted(items, key=lambda i: (-i["probability"], i["pair_id"]))


def explain(store, record_a: str, record_b: str, cfg: ResolutionConfig | None = None) -> dict:
    """Each comparison, its level and weight, and the total - the same arithmetic the run used."""
    cfg = cfg or ResolutionConfig()
    recs = {r["record_id"]: r for r in store.records_by_id([record_a, record_b])}
    for rid in (record_a, record_b):
        if rid not in recs:
            raise NotFound(f"no record {rid}")
    ra, rb = recs[record_a], recs[record_b]
    rtype = ra["record_type"]
    if rtype != rb["record_type"]:
        raise UserError("both records must be of the same type")
    if rtype not in SPECS:
        same = ra["value"] == rb["value"]
        return {"record_type": rtype, "record_a": record_a, "record_b": record_b,
                "comparisons": [{"comparison": "value", "level": "exact" if same else "different",
                                 "weight": None, "note": "resolved by canonical value"}],
                "total": None, "probability": 1.0 if same else 0.0, "cannot_link": None,
                "same_entity": _same_entity(store, record_a, record_b)}
    spec = SPECS[rtype]
    doc = store.get_doc(MODEL_DOCS, rtype)
    all_recs = store.records(rtype)
    ctx = {}
    if spec.uses_context:
        every = store.records()
        values = {r["record_id"]: (r["record_type"], r["value"]) for r in every}
        links = store.record_links()
        ctx = context_of(links, values)
        if rtype == "person":
            # the venues' entities as the last run resolved them, as that run saw them
            entity_of = {r: m[0] for r, m in store.memberships(["location", "business"]).items()}
            for rid, places in person_places(links, every, entity_of,
                                             max_names=cfg.max_place_names).items():
                ctx[rid]["places"] = places
    feats = build_features(spec, all_recs, ctx)
    if doc is None or not model_fits(doc, spec, cfg):
        from linkage.resolve.pipeline import fit_model
        from collections import Counter

        model = fit_model(spec, cfg, feats, Counter())
    else:
        model = ScoreModel.from_doc(doc)
    if not cfg.tf_adjust:
        model.tf_comparison = None
    model.tf = term_frequencies(spec, feats)
    scorer = Scorer(model, spec.comparisons, spec.tf_key)
    fa = spec.build(ra, ctx.get(record_a)) if spec.uses_context else spec.build(ra)
    fb = spec.build(rb, ctx.get(record_b)) if spec.uses_context else spec.build(rb)
    exp = scorer.explain(fa, fb, spec.cannot_link(fa, fb))
    out = exp.as_dict()
    out.update({"record_type": rtype, "record_a": record_a, "record_b": record_b,
                "same_entity": _same_entity(store, record_a, record_b),
                "decision": _decision(exp.probability, cfg, exp.cannot_link)})
    return out


def _decision(p: float, cfg: ResolutionConfig, cannot: str | None) -> str:
    if cannot:
        return f"never linked: {cannot}"
    if p >= cfg.match_probability:
        return "match"
    if p >= cfg.review_probability:
        return "review"
    return "no link"


def _same_entity(store, a: str, b: str) -> bool:
    m = store.memberships()
    return a in m and b in m and m[a][0] == m[b][0]
