"""Entity resolution on generated data with ground truth: pairwise precision, recall and F1 per
record type and wall time, and Splink (DuckDB backend, trained without labels as its
documentation recommends) on the same person records in the same run.

Size: LINKAGE_BENCH_RESOLVE_REPORTS (default 50,000 reports, about 100,000 person records).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import date
from pathlib import Path

from ingest.geo import ForceLookup
from ingest.run import ingest_payloads
from linkage.generate import generate_world
from linkage.resolve.evaluate import pairwise_scores, scores_by_type, truth_by_record
from linkage.resolve.export import resolution_rows
from linkage.resolve.pipeline import resolve
from linkage.store.embedded import EmbeddedStore

REPORTS = int(os.environ.get("LINKAGE_BENCH_RESOLVE_REPORTS", "50000"))


def _splink_frame(store, keys_of_person: dict[str, str]):
    """Person records as Splink expects them: one row, columns per field."""
    import pandas as pd

    rows = []
    for r in store.records("person"):
        key = keys_of_person.get(r["record_id"])
        if key is None:
            continue
        a = r["attrs"]
        names = a.get("names") or []
        if not names:
            continue
        n = names[0]
        given = " ".join(n.get("given") or []) or None
        family = n.get("family")
        dob = a.get("dob") or {}
        cands = [c for c in dob.get("candidates") or [] if len(c) == 10]
        rows.append({"unique_id": key, "first_name": given, "surname": family,
                     "dob": cands[0] if cands and not dob.get("estimated") else None,
                     "birth_year": str(dob.get("year_min")) if dob.get("year_min") else None,
                     "gender": a.get("gender"), "nationality": a.get("nationality")})
    return pd.DataFrame(rows)


def run_splink(df):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("nationality"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname", "birth_year"),
            block_on("first_name", "surname"),
            block_on("first_name", "birth_year"),
            block_on("dob"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    t0, c0 = time.perf_counter(), time.process_time()
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.95)
    out = clusters.as_pandas_dataframe()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0  # cpu: DuckDB's threads too
    return dict(zip(out["unique_id"], out["cluster_id"].astype(str))), seconds, cpu


def run(workdir: Path, console) -> list[tuple[str, str, str]]:
    t0 = time.perf_counter()
    world = generate_world(REPORTS, seed=42, as_of=date(2026, 11, 20))
    gen_s = time.perf_counter() - t0
    store = EmbeddedStore(workdir / "graph")
    t0 = time.perf_counter()
    ingest_payloads(store, world.reports, lookup=ForceLookup.shipped())
    ingest_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rep = resolve(store, full=True)
    resolve_s = time.perf_counter() - t0
    rows = resolution_rows(store)
    scores = scores_by_type(world.truth, rows)
    person = rep.types["person"]
    out = [
        ("reports generated / ingested", f"{REPORTS:,} in {gen_s:.1f} s / {ingest_s:.1f} s", "-"),
        ("person records resolved", f"{person.records:,} in {person.seconds:.1f} s", "100,000 in < 60 s"),
        ("whole resolution run (all types, entity links)", f"{resolve_s:.1f} s", "-"),
    ]
    for rtype in ("person", "location", "business", "phone", "vehicle", "account"):
        if rtype in scores:
            sc = scores[rtype]
            target = {"person": ">= 0.98", "location": ">= 0.99", "business": ">= 0.99"}.get(rtype, "-")
            out.append((f"{rtype} pairwise P / R / F1 (named records)",
                        f"{sc['precision']:.4f} / {sc['recall']:.4f} / {sc['f1']:.4f}", target))
    # Splink on the same person records
    try:
        joined = truth_by_record(world.truth, rows)["person"]
        rec_key = {}
        by_ref = {(r["report_kind"], r["source_ref"], r["record_ref"]): r for r in rows if r["record_type"] == "person"}
        recs = store.records("person")
        reports = {r["report_id"]: r for r in store.reports({x["report_id"] for x in recs})}
        for r in recs:
            rp = reports[r["report_id"]]
            k = "|".join((rp["kind"], rp["source_ref"], r["ref"], "person"))
            if k in joined and not joined[k][2]:
                rec_key[r["record_id"]] = k
        del by_ref
        df = _splink_frame(store, rec_key)
        splink_clusters, splink_s, splink_cpu = run_splink(df)
        truth = {k: joined[k][1] for k in splink_clusters}
        ours = {k: joined[k][0] for k in splink_clusters}
        s_sc = pairwise_scores(splink_clusters, truth)
        o_sc = pairwise_scores(ours, truth)
        out.append(("Splink person P / R / F1 (same records)",
                    f"{s_sc['precision']:.4f} / {s_sc['recall']:.4f} / {s_sc['f1']:.4f}", "ours no lower"))
        out.append(("linkage person P / R / F1 (same records)",
                    f"{o_sc['precision']:.4f} / {o_sc['recall']:.4f} / {o_sc['f1']:.4f}", "-"))
        out.append(("Splink time (train + predict + cluster) vs linkage person resolution",
                    f"{splink_s:.1f} s vs {person.seconds:.1f} s (ratio {person.seconds / splink_s:.2f})", "ratio < 1"))
        out.append(("Splink CPU (all its threads) vs linkage person resolution CPU",
                    f"{splink_cpu:.1f} s vs {person.cpu_seconds:.1f} s (ratio {person.cpu_seconds / splink_cpu:.2f})",
                    "-"))
    except ImportError as exc:
        out.append(("Splink comparison", f"skipped: {exc}", "install with make bench"))
    store.close()
    return out
