"""Each report kind becomes the records, roles, links and forces the resolver and analysts use."""

from __future__ import annotations

import json

from tests.ingest import payloads as P


def test_nrm_victim_two_exploiters_and_a_car_wash_in_birmingham(ingest, graph):
    res = ingest(P.nrm())
    assert [r.status for r in res.results] == ["accepted"]
    g = graph(res.results[0].report_id)

    rep = g.report
    assert rep["kind"] == "nrm" and rep["source_ref"] == "NRM-2026-0001"
    assert rep["force"] == "west-midlands"  # "West Midlands Police" mapped to its code
    assert rep["organisation"] == "Birmingham City Council"
    assert rep["exploitation_types"] == ["labour"]
    assert rep["child_involved"] is False
    assert json.loads(rep["raw"])["caseworker_note"] == "kept but not modelled"  # never dropped

    victim = g.rec("person", "v1")
    assert victim["role"] == "victim"
    assert victim["display"] == "Nguyễn Văn An"
    a = victim["attrs"]
    assert [n["raw"] for n in a["names"]] == ["Nguyễn Văn An", "Van An NGUYEN"]
    assert victim["value"] == a["names"][0]["folded"] and victim["value"].isascii()
    assert a["tokens"] == sorted(a["tokens"])
    assert a["dob"]["candidates"] == ["2001-04-02"] and a["dob"]["estimated"] is False
    assert a["gender"] == "male" and a["nationality"] == "VNM"
    assert a["documents"] == [{"type": "passport", "number": "C1234567", "country": "VNM"}]
    assert a["is_child"] is False and a["consent"] is True and a["anonymous"] is False
    assert "doc:C1234567" in victim["keys"]

    x1, x2 = g.rec("person", "x1"), g.rec("person", "x2")
    assert x1["role"] == x2["role"] == "exploiter"
    assert x2["display"] == "Arben Krasniqi"
    assert x2["attrs"]["dob"]["estimated"] is True  # from age 35 on the report date
    assert x2["attrs"]["dob"]["year_min"] <= 1991 <= x2["attrs"]["dob"]["year_max"]

    site = g.rec("location", "L1")
    assert site["role"] == "exploitation" and site["use"] == "exploitation"
    assert site["force"] == "west-midlands"
    assert site["venue_type"] == "car_wash"
    assert site["attrs"]["address"]["postcode"] == "B6 5RQ"
    assert site["attrs"]["business_name"] == "Sparkle Hand Car Wash Ltd"

    venue = [b for b in g.of_type("business") if b["role"] == "venue"]
    referrer = [b for b in g.of_type("business") if b["role"] == "referrer"]
    assert len(venue) == 1 and venue[0]["venue_type"] == "car_wash"
    assert len(referrer) == 1 and referrer[0]["display"] == "Birmingham City Council"
    assert g.links_of(referrer[0]["record_id"]) == []  # referrers glue nothing together

    phone = g.rec("phone", "+447911123456")
    assert phone["value"] == "+447911123456" and phone["attrs"]["valid"] is True
    vehicle = g.of_type("vehicle")[0]
    assert vehicle["attrs"]["make"] == "BMW" and vehicle["ref"] == vehicle["value"]

    assert ("x1", "EXPLOITS", "v1") in g.triples
    assert ("x2", "EXPLOITS", "v1") in g.triples
    assert ("v1", "EXPLOITED_AT", "L1") in g.triples
    assert ("x1", "RECRUITED", "v1") in g.triples
    assert ("v1", "USES_PHONE", "+447911123456") in g.triples
    assert (venue[0]["ref"], "OPERATES_AT", "L1") in g.triples
    assert ("x1", "USES_VEHICLE", vehicle["ref"]) in g.triples
    assert all(r["reported_at"].isoformat() == "2026-03-14" for r in g.records)


def test_dtn_victim_without_a_name_is_described_not_named(ingest, graph):
    res = ingest(P.dtn())
    g = graph(res.results[0].report_id)
    assert g.report["force"] == "greater-manchester"
    victim = [p for p in g.of_type("person") if p["role"] == "victim"][0]
    assert victim["value"] == "" and victim["attrs"]["anonymous"] is True
    assert victim["display"] == "unnamed female, Vietnamese, ~24"
    assert victim["attrs"]["names"] == [] and victim["keys"] == []
    assert victim["attrs"]["dob"]["estimated"] is True
    assert victim["attrs"]["gender"] == "female" and victim["attrs"]["nationality"] == "VNM"
    exploiter = [p for p in g.of_type("person") if p["role"] == "exploiter"][0]
    site = g.of_type("location")[0]
    assert site["force"] == "greater-manchester" and site["role"] == "exploitation"
    assert (exploiter["ref"], "EXPLOITS", victim["ref"]) in g.triples
    assert (victim["ref"], "EXPLOITED_AT", site["ref"]) in g.triples
    assert (exploiter["ref"], "USES_PHONE", "+447400123456") in g.triples
    # no referrer record for a Duty to Notify (only NRM first responders and partners)
    assert all(b["role"] == "venue" for b in g.of_type("business"))


def test_intel_grading_subjects_and_what_is_named_with_them(ingest, graph):
    res = ingest(P.intel())
    assert res.results[0].status == "accepted", res.results[0].reason
    g = graph(res.results[0].report_id)
    rep = g.report
    assert (rep["grading_source"], rep["grading_intel"], rep["handling"]) == ("2", "B", "C")
    assert rep["conditions"] == "Do not disseminate outside policing"
    assert rep["organisation"] == "west-midlands/FIB" and rep["force"] == "west-midlands"

    assert g.rec("person", "s1")["role"] == "suspect"
    assert g.rec("person", "s2")["role"] == "victim"
    assert g.rec("person", "s1")["attrs"]["dob"]["year_min"] == 1985

    # the subject's phone and the same phone at top level are one record, linked to s1
    phones = {p["ref"]: p for p in g.of_type("phone")}
    assert ("s1", "USES_PHONE", "+447911123456") in g.triples
    assert phones["+447911123456"]["role"] == "contact"
    # a phone value as a link end is normalised and becomes a phone record
    assert ("s2", "USES_PHONE", "+447400123456") in g.triples
    # the vehicle is linked explicitly: no MENTIONED_WITH for it
    assert ("s1", "USES_VEHICLE", "veh1") in g.triples
    assert not any(t[2] == "veh1" and t[1] == "MENTIONED_WITH" for t in g.triples)
    # an unlinked top-level phone, location and business are MENTIONED_WITH each subject
    for subject in ("s1", "s2"):
        assert (subject, "MENTIONED_WITH", "+447123456789") in g.triples
        assert (subject, "MENTIONED_WITH", "loc1") in g.triples
    business = g.of_type("business")[0]
    assert business["attrs"]["company_number"] == "01234567"
    assert "co:01234567" in business["keys"]
    assert business["attrs"]["postcode"] == "B6 5RQ"
    assert (business["ref"], "OPERATES_AT", "loc1") in g.triples  # address given by ref
    assert (business["ref"], "USES_PHONE", "+441214960000") in g.triples
    assert ("s1", "MENTIONED_WITH", business["ref"]) in g.triples
    assert g.rec("location", "loc1")["force"] == "west-midlands"


def test_referral_child_involved_marks_child_victims_and_the_report(ingest, graph):
    res = ingest(P.referral())
    g = graph(res.results[0].report_id)
    rep = g.report
    assert rep["urgency"] == "immediate" and rep["child_involved"] is True
    assert rep["exploitation_types"] == ["criminal", "labour"]
    assert rep["organisation"] == "Salvation Army"
    child, adult = g.rec("person", "c1"), g.rec("person", "a1")
    assert child["attrs"]["is_child"] is True and adult["attrs"]["is_child"] is False
    work = g.of_type("location")[0]
    assert work["role"] == "workplace" and work["use"] == "workplace"
    assert work["force"] == "west-yorkshire"
    assert ("a1", "WORKS_AT", work["ref"]) in g.triples
    account = g.of_type("account")[0]
    assert account["attrs"]["bank"] == "Lloyds" and account["ref"] == account["value"]
    assert ("c1", "MENTIONED_WITH", account["ref"]) in g.triples
    assert [b["role"] for b in g.of_type("business")] == ["referrer"]


def test_a_child_by_date_of_birth_is_flagged_and_makes_the_nrm_a_child_case(ingest, graph):
    p = P.nrm()
    p["victim"]["dob"] = "2010-01-31"  # 16 on the report date
    g = graph(ingest(p).results[0].report_id)
    assert g.rec("person", "v1")["attrs"]["is_child"] is True
    assert g.report["child_involved"] is True


def test_one_object_named_twice_in_a_report_is_one_record_with_the_most_specific_role(ingest, graph):
    p = P.intel()
    p["subjects"].append({"ref": "s1", "full_name": "Gezim Hoxha", "role": "unknown",
                          "aliases": ["Gimi"]})
    g = graph(ingest(p).results[0].report_id)
    s1 = [r for r in g.of_type("person") if r["ref"] == "s1"]
    assert len(s1) == 1 and s1[0]["role"] == "suspect"
    assert "Gimi" in [n["raw"] for n in s1[0]["attrs"]["names"]]
    assert len([r for r in g.of_type("phone") if r["value"] == "+447911123456"]) == 1


def test_an_address_with_a_business_name_yields_a_venue_operating_there(ingest, graph):
    p = P.intel()
    p["locations"][0]["business_name"] = "Lucky Nails"
    p["locations"][0]["venue_type"] = "nail_bar"
    g = graph(ingest(p).results[0].report_id)
    venue = [b for b in g.of_type("business") if b["display"] == "Lucky Nails"][0]
    assert venue["role"] == "venue" and venue["venue_type"] == "nail_bar"
    assert (venue["ref"], "OPERATES_AT", "loc1") in g.triples
