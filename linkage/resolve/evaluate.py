"""Pairwise precision, recall and F1 of a clustering against ground truth (record -> true id)."""

from __future__ import annotations

from collections import Counter, defaultdict


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Both map record -> cluster; only records present in both are scored."""
    common = [r for r in predicted if r in truth]
    pred_sizes = Counter(predicted[r] for r in common)
    true_sizes = Counter(truth[r] for r in common)
    joint = Counter((predicted[r], truth[r]) for r in common)
    tp = sum(_pairs(n) for n in joint.values())
    pp = sum(_pairs(n) for n in pred_sizes.values())
    tt = sum(_pairs(n) for n in true_sizes.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"records": len(common), "true_pairs": tt, "predicted_pairs": pp, "tp": tp,
            "precision": precision, "recall": recall, "f1": f1}


def truth_by_record(truth_rows: list[dict], resolution_rows: list[dict]) -> dict[str, dict[str, tuple[str, str, bool]]]:
    """Join the generator's truth to the store's export on (kind, source_ref, record_ref, type).

    Returns record_type -> {key: (entity_id, true_entity, anonymous)}."""
    t = {(r["report_kind"], r["source_ref"], r["record_ref"], r["record_type"]): r for r in truth_rows}
    out: dict[str, dict] = defaultdict(dict)
    for row in resolution_rows:
        key = (row["report_kind"], row["source_ref"], row["record_ref"], row["record_type"])
        tr = t.get(key)
        if tr is None or not row["entity_id"]:
            continue
        anon = str(tr.get("anonymous", "")).lower() in ("1", "true", "yes")
        out[row["record_type"]]["|".join(key)] = (row["entity_id"], tr["true_entity"], anon)
    return out


def scores_by_type(truth_rows: list[dict], resolution_rows: list[dict], *, include_anonymous: bool = False) -> dict[str, dict]:
    joined = truth_by_record(truth_rows, resolution_rows)
    out = {}
    for rtype, rows in joined.items():
        pred = {k: v[0] for k, v in rows.items() if include_anonymous or not v[2]}
        tru = {k: v[1] for k, v in rows.items() if include_anonymous or not v[2]}
        out[rtype] = pairwise_scores(pred, tru)
    return out
