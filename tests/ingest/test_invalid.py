"""Bad input is rejected with the report, the field and the reason; the rest still goes in; the
rejected input is kept whole in a rejects file."""

from __future__ import annotations

import json

import pytest

from ingest.run import ingest_files
from tests.ingest import payloads as P
from tests.ingest.conftest import RECEIVED, write_jsonl


def _bad_dob():
    p = P.intel()
    p["source_ref"] = "INT-BAD-DOB"
    p["subjects"][0]["dob"] = "31/31/1985"
    return p


def _c_without_conditions():
    p = P.intel()
    p["source_ref"] = "INT-C"
    del p["grading"]["conditions"]
    return p


def _unknown_link_ref():
    p = P.intel()
    p["source_ref"] = "INT-LINK"
    p["links"].append({"from": "s1", "type": "ASSOCIATE_OF", "to": "nobody"})
    return p


def _missing_source_ref():
    p = P.nrm()
    del p["source_ref"]
    return p


TRUNCATED = '{"kind": "nrm", "source_ref": "NRM-TRUNC", "reported_at": "2026-0'


def test_a_mixed_file_rejects_the_bad_reports_keeps_them_whole_and_ingests_the_rest(store, lookup, tmp_path):
    lines = [P.nrm(), _missing_source_ref(), _bad_dob(), _c_without_conditions(),
             _unknown_link_ref(), P.variant(P.dtn(), kind="ms1"), TRUNCATED, "[1, 2, 3]", P.dtn(),
             P.referral()]
    src = write_jsonl(tmp_path / "mixed.jsonl", lines)
    res = ingest_files(store, [src], lookup=lookup, received_at=RECEIVED)

    statuses = [r.status for r in res.results]
    assert statuses == ["accepted", "rejected", "rejected", "rejected", "rejected", "rejected",
                        "rejected", "rejected", "accepted", "accepted"]
    rejected = {r.location.rsplit(":", 1)[1]: r for r in res.rejected}
    assert rejected["2"].field == "source_ref" and "required" in rejected["2"].reason.lower()
    assert rejected["3"].field == "subjects[0].dob" and rejected["3"].source_ref == "INT-BAD-DOB"
    assert "31/31/1985" in rejected["3"].reason
    assert rejected["4"].field == "grading.conditions" and "conditions" in rejected["4"].reason
    assert rejected["5"].field == "links[2].to" and "nobody" in rejected["5"].reason
    assert rejected["6"].field == "kind" and "ms1" in rejected["6"].reason
    assert "truncated" in rejected["7"].reason and "column" in rejected["7"].reason
    assert "not a JSON object" in rejected["8"].reason
    assert store.counts()["Report"] == 3

    # the rejects file keeps each rejected line exactly as it was sent
    assert res.rejects_path is not None and res.rejects_path.parent == tmp_path
    assert res.rejects_path.name.startswith("rejects-") and res.rejects_path.suffix == ".jsonl"
    kept = [json.loads(l) for l in res.rejects_path.read_text(encoding="utf-8").splitlines()]
    sent = src.read_text(encoding="utf-8").splitlines()
    assert [k["raw"] for k in kept] == [sent[i] for i in (1, 2, 3, 4, 5, 6, 7)]
    assert {"source_ref", "location", "field", "reason", "raw"} <= set(kept[0])
    assert kept[1]["source_ref"] == "INT-BAD-DOB" and kept[1]["field"] == "subjects[0].dob"


@pytest.mark.parametrize("change, field, words", [
    (lambda p: p["submitted_by"].update(force="Atlantis Police"), "submitted_by.force", "Atlantis Police"),
    (lambda p: p["subjects"][0].update(full_name="x" * 201), "subjects[0].full_name", "200"),
    (lambda p: p.update(narrative="x" * 100_001), "narrative", "100000"),
    (lambda p: p.update(phones=["07911 123456"] * 501), "phones", "500"),
    (lambda p: p["grading"].update(intelligence="F"), "grading.intelligence", "'A'"),
    (lambda p: p["subjects"][0].update(role="kingpin"), "subjects[0].role", "suspect"),
    (lambda p: p.update(reported_at="yesterday"), "reported_at", "not a date"),
    (lambda p: p["vehicles"][0].pop("vrm"), "vehicles[0].vrm", "registration"),
    (lambda p: p["businesses"][0].update(address={"ref": "nowhere"}), "businesses[0].address.ref", "nowhere"),
    (lambda p: p["subjects"][0]["documents"].append({"type": "passport", "number": "--"})
     if "documents" in p["subjects"][0] else p["subjects"][0].update(
         documents=[{"type": "passport", "number": "--"}]), "subjects[0].documents[0].number", "letters"),
    (lambda p: p["locations"].append({"town": ""}), "locations[1]", "address"),
    (lambda p: p["vehicles"][0].update(ref="s1"), "vehicles[0].ref", "already used"),
])
def test_each_invalid_field_is_named_with_a_reason(ingest, change, field, words):
    p = P.intel()
    change(p)
    res = ingest(p)
    r = res.results[0]
    assert r.status == "rejected", r
    assert r.field == field
    assert words.replace(",", "") in r.reason.replace(",", ""), r.reason
    assert r.source_ref == "INT-1001" and r.kind == "intel"


def test_a_forced_kind_rejects_reports_of_another_kind(ingest):
    res = ingest(P.nrm(), P.intel(), kind="intel")
    assert [r.status for r in res.results] == ["rejected", "accepted"]
    assert res.results[0].field == "kind" and "'nrm'" in res.results[0].reason


def test_a_forced_kind_fills_in_a_missing_kind(ingest):
    p = P.intel()
    del p["kind"]
    missing = ingest(p).results[0]
    assert missing.status == "rejected" and missing.field == "kind"
    assert ingest(p, kind="intel").results[0].status == "accepted"


def test_payloads_from_the_api_are_plain_dicts_and_results_name_json_paths(ingest):
    res = ingest(P.nrm(), "not an object")
    assert res.results[0].status == "accepted"
    assert res.results[1].status == "rejected" and res.results[1].location == "[1]"
    d = res.to_dict(with_raw=True)
    assert d["by_status"]["rejected"] == 1 and d["results"][1]["raw"] == "not an object"
