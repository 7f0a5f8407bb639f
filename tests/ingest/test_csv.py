"""The CSV layouts for intelligence submissions and partner referrals (one row per report)."""

from __future__ import annotations

import csv
import io

from ingest.run import ingest_files
from tests.ingest.conftest import RECEIVED, Graph

INTEL_HEADER = ["source_ref", "reported_at", "force", "unit", "grading_source",
                "grading_intelligence", "handling", "conditions", "narrative", "subject_names",
                "subject_dobs", "subject_roles", "subject_nationalities", "subject_phones",
                "phones", "vehicles", "addresses", "postcodes", "businesses", "accounts",
                "officer_collar_no"]


def _csv(path, header, rows, encoding="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_intel_csv_rows_become_reports_with_subjects_and_objects(store, lookup, tmp_path):
    f = _csv(tmp_path / "intel.csv", INTEL_HEADER, [
        ["CSV-1", "14/03/2026", "West Midlands Police", "FIB", "2", "b", "p", "",
         "Seen at the car wash\nwith a black BMW", "Gëzim Hoxha;Ana Popescu", "1985-05-12;",
         "Suspect;victim", "Albanian;RO", "07911 123456|07123 456789;", "0121 496 0000",
         "AB12 CDE", "12 Park Lane, Birmingham;3 Mill Lane", "B6 5RQ;LS9 8AB;M14 5AB",
         "Sparkle Hand Car Wash Ltd", "11-22-33 12345678;GB33BUKB20201555555555", "PC 123"],
        ["CSV-2", "2026-03-15", "west-midlands", "FIB", "3", "C", "C", "police only",
         "", "Tom Lee", "", "associate", "", "", "", "", "", "", "", "", ""],
    ])
    res = ingest_files(store, [f], lookup=lookup, received_at=RECEIVED)
    assert [r.status for r in res.results] == ["accepted", "accepted"], res.rejected
    assert res.results[0].location == f"{f}:2" and res.results[1].location == f"{f}:4"
    g = Graph(store, res.results[0].report_id)
    rep = g.report
    assert rep["kind"] == "intel" and rep["force"] == "west-midlands"
    assert (rep["grading_source"], rep["grading_intel"], rep["handling"]) == ("2", "B", "P")
    assert rep["narrative"] == "Seen at the car wash\nwith a black BMW"
    assert '"officer_collar_no": "PC 123"' in rep["raw"]  # unknown column kept
    people = {p["display"]: p for p in g.of_type("person")}
    assert people["Gëzim Hoxha"]["role"] == "suspect"
    assert people["Ana Popescu"]["role"] == "victim"
    assert people["Gëzim Hoxha"]["attrs"]["dob"]["candidates"] == ["1985-05-12"]
    assert people["Gëzim Hoxha"]["attrs"]["nationality"] == "ALB"
    s1 = people["Gëzim Hoxha"]["ref"]
    assert (s1, "USES_PHONE", "+447911123456") in g.triples
    assert (s1, "USES_PHONE", "+447123456789") in g.triples
    locations = g.of_type("location")
    assert len(locations) == 3  # two addresses with their postcodes, one postcode alone
    assert {l["force"] for l in locations} == {"west-midlands", "west-yorkshire", "greater-manchester"}
    accounts = g.of_type("account")
    assert len(accounts) == 2
    assert {a["attrs"]["sort_code"] for a in accounts} >= {"112233"}
    assert len(g.of_type("business")) == 1 and len(g.of_type("vehicle")) == 1
    assert Graph(store, res.results[1].report_id).report["conditions"] == "police only"


def test_referral_csv_and_errors_name_the_line_and_the_column(store, lookup, tmp_path):
    header = ["Source Ref", "Reported At", "Partner Organisation", "Partner Type", "Urgency",
              "Child Involved", "Concern Types", "Subject Names", "Subject Roles", "Subject DOBs",
              "Phones", "Addresses", "Postcodes"]
    f = _csv(tmp_path / "referrals.csv", header, [
        ["R-1", "2026-03-01", "Salvation Army", "NGO", "immediate", "yes",
         "Labour; domestic servitude", "Zoë Müller;Long Tran", "victim;suspect", "2009-02-01;",
         "07400 123456", "5 Rose Street", "M14 5AB"],
        ["R-2", "2026-03-02", "Unseen UK", "ngo", "routine", "no", "sexual", "A B;C D",
         "victim;suspect", "1990-01-01;30/02/1980", "", "", ""],
        ["R-3", "2026-03-02", "", "ngo", "routine", "no", "", "", "", "", "", "", ""],
    ], encoding="cp1252")
    res = ingest_files(store, [f], lookup=lookup, received_at=RECEIVED)
    assert [r.status for r in res.results] == ["accepted", "rejected", "rejected"]
    bad_dob, no_partner = res.results[1], res.results[2]
    assert bad_dob.location == f"{f}:3"
    assert bad_dob.field == "subject_dobs (subjects[1].dob)" and "30/02/1980" in bad_dob.reason
    assert no_partner.location == f"{f}:4" and no_partner.field.startswith("partner_organisation")
    assert any("cp1252" in n for n in res.notes)
    g = Graph(store, res.results[0].report_id)
    assert g.report["child_involved"] is True and g.report["urgency"] == "immediate"
    assert g.report["exploitation_types"] == ["labour", "domestic_servitude"]
    victim = [p for p in g.of_type("person") if p["role"] == "victim"][0]
    assert victim["attrs"]["is_child"] is True and victim["display"] == "Zoë Müller"
    kept = res.rejects_path.read_text(encoding="utf-8").splitlines()
    assert len(kept) == 2 and "R-2" in kept[0]


def test_a_csv_without_a_source_ref_column_is_refused_whole(store, lookup, tmp_path):
    f = _csv(tmp_path / "x.csv", ["ref", "grading_source"], [["1", "2"]])
    res = ingest_files(store, [f], lookup=lookup, received_at=RECEIVED)
    assert res.results[0].field == "source_ref" and "layout" in res.results[0].reason
