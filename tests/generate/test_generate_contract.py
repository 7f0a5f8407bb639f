"""Every generated report keeps the FORMATS.md field contract, and the truth covers every record
in every report exactly once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from linkage.model import (
    PERSON_ROLES, DocumentType, ExploitationType, LinkType, LocationUse, PartnerType,
    RecordType, ResponderType, Urgency, VenueType, force_code,
)
from tests.generate.conftest import AS_OF
from tests.generate.report_walk import EMAIL_RE, PHONE_RE, expected_records, objects, people

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DOB_FORMATS = (re.compile(r"^\d{4}-\d{2}-\d{2}$"), re.compile(r"^\d{2}/\d{2}/\d{4}$"),
               re.compile(r"^\d{4}-\d{2}$"), re.compile(r"^\d{4}$"))
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
TRUE_ID = re.compile(r"^(P\d{6,}|L\d{6,}|B\d{6,}|PH\d{5,}|E\d{4,}|V\d{6,}|A\d{6,})$")
ID_PREFIX = {"person": "P", "location": "L", "business": "B", "phone": "PH", "email": "E",
             "vehicle": "V", "account": "A"}

COMMON = {"kind", "source_ref", "reported_at", "received_at", "narrative", "links"}
SUBJECT_LISTS = {"subjects", "locations", "businesses", "phones", "vehicles", "accounts"}
REPORT_KEYS = {
    "nrm": COMMON | {"first_responder", "victim", "exploitation", "exploiters", "decision"},
    "dtn": COMMON | {"notifying_authority", "victim", "exploitation", "exploiters"},
    "intel": COMMON | {"submitted_by", "grading"} | SUBJECT_LISTS,
    "referral": COMMON | {"partner", "urgency", "child_involved", "concern_types"} | SUBJECT_LISTS,
}
PERSON_KEYS = {"ref", "full_name", "given_names", "family_name", "aliases", "dob", "age", "gender",
               "nationality", "phones", "emails", "addresses", "vehicles", "accounts", "documents",
               "role"}
LOCATION_KEYS = {"ref", "address", "lines", "postcode", "town", "venue_type", "business_name",
                 "lat", "lon", "use"}
BUSINESS_KEYS = {"ref", "name", "company_number", "venue_type", "phones", "address"}
VEHICLE_KEYS = {"ref", "vrm", "make", "model", "colour"}
ACCOUNT_KEYS = {"ref", "sort_code", "account_number", "iban", "bank"}
VALUES = lambda enum: {e.value for e in enum}  # noqa: E731


def _problems(report: dict) -> list[str]:
    """Why a report breaks the contract (empty when it keeps it)."""
    bad: list[str] = []
    kind = report.get("kind")
    if kind not in REPORT_KEYS:
        return [f"kind {kind!r}"]
    extra = set(report) - REPORT_KEYS[kind]
    if extra:
        bad.append(f"unknown report fields {sorted(extra)}")
    if not isinstance(report.get("source_ref"), str) or not report["source_ref"]:
        bad.append("source_ref")
    if not ISO.match(report.get("reported_at", "")):
        bad.append("reported_at")
    else:
        day = date.fromisoformat(report["reported_at"])
        if not AS_OF - timedelta(days=540) < day <= AS_OF:
            bad.append(f"reported_at {day} outside the 540 days before as_of")
    if "received_at" in report and not TIMESTAMP.match(report["received_at"]):
        bad.append("received_at")
    if not isinstance(report.get("narrative"), str) or not report["narrative"]:
        bad.append("narrative")

    if kind == "nrm":
        fr = report["first_responder"]
        if not fr.get("organisation") or fr.get("type") not in VALUES(ResponderType):
            bad.append(f"first_responder {fr}")
        if "force" in fr and force_code(fr["force"]) is None:
            bad.append(f"first_responder.force {fr['force']}")
        if not isinstance(report["victim"].get("is_child"), bool):
            bad.append("victim.is_child")
        if not report["victim"]["is_child"] and report["victim"].get("consent") is not True:
            bad.append("adult NRM victim without consent")
        d = report["decision"]
        if set(d) - {"reasonable_grounds", "conclusive_grounds", "date"}:
            bad.append("decision fields")
        for k in ("reasonable_grounds", "conclusive_grounds"):
            if k in d and d[k] not in ("positive", "negative", "pending"):
                bad.append(f"decision.{k}")
    if kind == "dtn":
        na = report["notifying_authority"]
        if set(na) - {"organisation", "force"} or not na.get("organisation"):
            bad.append("notifying_authority")
        if "force" in na and force_code(na["force"]) is None:
            bad.append("notifying_authority.force")
    if kind in ("nrm", "dtn"):
        ex = report["exploitation"]
        if set(ex) - {"types", "from", "to", "locations"}:
            bad.append("exploitation fields")
        if not ex["types"] or set(ex["types"]) - VALUES(ExploitationType):
            bad.append("exploitation.types")
        if report["victim"].get("role") != "victim":
            bad.append("victim role")
    if kind == "intel":
        sb, g = report["submitted_by"], report["grading"]
        if force_code(sb.get("force")) is None or set(sb) - {"force", "unit"}:
            bad.append("submitted_by")
        if g.get("source") not in ("1", "2", "3") or g.get("intelligence") not in tuple("ABCDE"):
            bad.append("grading")
        if g.get("handling") not in ("P", "C") or (g["handling"] == "C" and not g.get("conditions")):
            bad.append("grading.handling/conditions")
    if kind == "referral":
        p = report["partner"]
        if set(p) - {"organisation", "type"} or p.get("type") not in VALUES(PartnerType):
            bad.append("partner")
        if report["urgency"] not in VALUES(Urgency) or not isinstance(report["child_involved"], bool):
            bad.append("urgency/child_involved")
        if not report["concern_types"] or set(report["concern_types"]) - VALUES(ExploitationType):
            bad.append("concern_types")
    if kind in ("intel", "referral"):
        for key in SUBJECT_LISTS:
            if not isinstance(report[key], list):
                bad.append(key)
        for ph in report["phones"]:
            if not PHONE_RE.match(ph):
                bad.append(f"phone {ph}")

    refs: list[str] = []
    for path, kind_, obj in objects(report):
        if "ref" not in obj:
            bad.append(f"{path} without ref")
            continue
        refs.append(obj["ref"])
        keys = {"person": PERSON_KEYS, "location": LOCATION_KEYS, "business": BUSINESS_KEYS,
                "vehicle": VEHICLE_KEYS, "account": ACCOUNT_KEYS}[kind_]
        if kind_ == "person" and path == "victim":
            keys = keys | {"is_child", "consent"}
        if set(obj) - keys:
            bad.append(f"{path} unknown fields {sorted(set(obj) - keys)}")
        if kind_ == "person":
            if obj.get("role") not in VALUES(PERSON_ROLES):
                bad.append(f"{path}.role")
            if "dob" in obj and not any(f.match(obj["dob"]) for f in DOB_FORMATS):
                bad.append(f"{path}.dob {obj['dob']}")
            if "age" in obj and not (isinstance(obj["age"], int) and 0 <= obj["age"] <= 120):
                bad.append(f"{path}.age")
            if "full_name" in obj and ("given_names" in obj or "family_name" in obj):
                bad.append(f"{path}: full_name and given/family together")
            if ("given_names" in obj) != ("family_name" in obj):
                bad.append(f"{path}: given_names without family_name")
            for e in obj.get("emails", []):
                if not EMAIL_RE.match(e):
                    bad.append(f"{path} email {e}")
            for ph in obj.get("phones", []):
                if not PHONE_RE.match(ph):
                    bad.append(f"{path} phone {ph}")
            for doc in obj.get("documents", []):
                if doc.get("type") not in VALUES(DocumentType) or not doc.get("number"):
                    bad.append(f"{path}.documents")
        elif kind_ == "location":
            if not (obj.get("address") or obj.get("lines")):
                bad.append(f"{path} without address or lines")
            if "use" in obj and obj["use"] not in VALUES(LocationUse):
                bad.append(f"{path}.use")
            if "venue_type" in obj and obj["venue_type"] not in VALUES(VenueType):
                bad.append(f"{path}.venue_type")
        elif kind_ == "business":
            if not obj.get("name") or ("venue_type" in obj and obj["venue_type"] not in VALUES(VenueType)):
                bad.append(f"{path} name/venue_type")
        elif kind_ == "vehicle" and not obj.get("vrm"):
            bad.append(f"{path}.vrm")
        elif kind_ == "account":
            if not (obj.get("iban") or (obj.get("sort_code") and obj.get("account_number"))):
                bad.append(f"{path}: neither iban nor sort code and number")
    dupes = [r for r, n in Counter(refs).items() if n > 1]
    if dupes:
        bad.append(f"refs used twice: {dupes}")
    ref_set = set(refs)
    for link in report.get("links", []):
        if set(link) != {"from", "type", "to"} or link["type"] not in VALUES(LinkType):
            bad.append(f"link {link}")
            continue
        for end in (link["from"], link["to"]):
            if end not in ref_set and not PHONE_RE.match(end) and not EMAIL_RE.match(end):
                bad.append(f"link end {end!r} is neither a ref nor a phone or email")
    return bad


def test_every_report_keeps_the_formats_contract(world):
    failures = {}
    for report in world.reports:
        problems = _problems(report)
        if problems:
            failures[f"{report['kind']}:{report['source_ref']}"] = problems
    assert not failures, list(failures.items())[:5]


def test_source_refs_are_unique_per_kind(world):
    keys = Counter((r["kind"], r["source_ref"]) for r in world.reports)
    assert max(keys.values()) == 1


def test_report_kinds_in_the_asked_proportions(world):
    kinds = Counter(r["kind"] for r in world.reports)
    n = len(world.reports)
    assert n == 2500
    for kind, share in (("nrm", 0.35), ("dtn", 0.15), ("intel", 0.30), ("referral", 0.20)):
        assert abs(kinds[kind] / n - share) < 0.01, kinds


def test_truth_covers_every_record_exactly_once(world, truth_by_report):
    rows = Counter((t["report_kind"], t["source_ref"], t["record_ref"]) for t in world.truth)
    assert max(rows.values()) == 1, "a record has two truth rows"
    for report in world.reports:
        key = (report["kind"], report["source_ref"])
        expected = expected_records(report)
        assert len(expected) == len({ref for ref, _ in expected}), key
        got = truth_by_report[key]
        assert {ref for ref, _ in expected} == set(got), key
        for ref, rtype in expected:
            row = got[ref]
            assert row["record_type"] == rtype, (key, ref)
            assert row["true_entity"].startswith(ID_PREFIX[rtype]) and TRUE_ID.match(row["true_entity"])
    assert set(RecordType) >= {t["record_type"] for t in world.truth}
    assert {t["record_type"] for t in world.truth} == {r.value for r in RecordType}


def test_anonymous_only_for_nameless_dtn_victims(world, truth_by_report):
    anonymous = dtn_victims = 0
    for report in world.reports:
        truth = truth_by_report[(report["kind"], report["source_ref"])]
        for path, p in people(report):
            nameless = not any(k in p for k in ("full_name", "given_names", "family_name"))
            assert truth[p["ref"]]["anonymous"] == nameless, (report["source_ref"], path)
            if nameless:
                assert report["kind"] == "dtn" and path == "victim"
                assert set(p) <= {"ref", "gender", "nationality", "age", "role", "consent"}
        if report["kind"] == "dtn":
            dtn_victims += 1
            anonymous += truth[report["victim"]["ref"]]["anonymous"]
    assert 0.6 < anonymous / dtn_victims < 0.8


def test_phones_in_truth_are_e164_and_every_value_maps_to_one_entity(world):
    entity_of: dict[tuple[str, str], set[str]] = {}
    for t in world.truth:
        if t["record_type"] in ("phone", "email", "vehicle", "account"):
            entity_of.setdefault((t["record_type"], t["record_ref"] if t["record_type"] in
                                  ("phone", "email") else t["true_entity"]), set()).add(t["true_entity"])
        if t["record_type"] == "phone":
            assert re.match(r"^\+[1-9]\d{7,14}$", t["record_ref"])
        if t["record_type"] == "email":
            assert t["record_ref"] == t["record_ref"].lower()
    assert all(len(ids) == 1 for ids in entity_of.values())
