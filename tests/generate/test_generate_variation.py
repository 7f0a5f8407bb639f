"""The same true thing is written in the ways real forms write it, and the identifiers look real."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import phonenumbers
import pytest

from linkage.generate.geography import DISTRICTS
from linkage.generate.identifiers import iban_is_valid
from tests.generate.report_walk import fold, objects, people, phone_texts, postcode_of

VRM_RE = re.compile(r"^[A-Z]{2}[0-9]{2} ?[A-Z]{3}$", re.I)
DIACRITIC = re.compile(r"[^\x00-\x7f]")


@pytest.fixture(scope="session")
def person_mentions(world, truth_by_report):
    out = defaultdict(list)
    for report in world.reports:
        truth = truth_by_report[(report["kind"], report["source_ref"])]
        for _, p in people(report):
            out[truth[p["ref"]]["true_entity"]].append(p)
    return out


def _name(p: dict) -> str | None:
    if "full_name" in p:
        return p["full_name"]
    if "family_name" in p:
        return f"{p['given_names']} {p['family_name']}"
    return None


def test_names_vary_in_order_case_diacritics_initials_and_typos(person_mentions):
    seen = Counter()
    typo_people = 0
    for pid, mentions in person_mentions.items():
        names = [n for n in map(_name, mentions) if n]
        if len(names) < 8:
            continue
        if any(DIACRITIC.search(n) for n in names):
            seen["diacritics kept"] += 1
            if any(not DIACRITIC.search(n) for n in names):
                seen["diacritics kept and stripped"] += 1
        if any(re.search(r"\b[A-ZÀ-Ỹ]{3,}\b", n) for n in names):
            seen["family in capitals"] += 1
        if any(re.search(r"\b\w\.", n) for n in names):
            seen["initials"] += 1
        token_sets = Counter(frozenset(fold(n).split()) for n in names if "." not in n)
        if len(token_sets) >= 2:
            orders = {tuple(fold(n).split()) for n in names if "." not in n}
            if len(orders) > len(token_sets):
                seen["name order"] += 1
            common = token_sets.most_common(1)[0][0]
            for tokens in token_sets:
                diff = tokens ^ common
                if len(diff) == 2:
                    a, b = sorted(diff, key=len)
                    if len(b) >= 5 and _one_edit(a, b):
                        typo_people += 1
                        break
    for what in ("diacritics kept and stripped", "family in capitals", "initials", "name order"):
        assert seen[what] >= 3, (what, seen)
    assert typo_people >= 3


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diffs) == 2 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        return len(diffs) == 1 or swapped
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def test_dates_of_birth_in_every_accepted_format_or_only_an_age(world):
    forms = Counter()
    for report in world.reports:
        for _, p in people(report):
            dob = p.get("dob")
            if dob is None:
                forms["age only" if "age" in p else "none"] += 1
            elif re.match(r"^\d{4}-\d{2}-\d{2}$", dob):
                forms["iso"] += 1
            elif re.match(r"^\d{2}/\d{2}/\d{4}$", dob):
                forms["dd/mm/yyyy"] += 1
            elif re.match(r"^\d{4}-\d{2}$", dob):
                forms["yyyy-mm"] += 1
            else:
                forms["yyyy"] += 1
    assert all(forms[f] > 20 for f in ("iso", "dd/mm/yyyy", "yyyy-mm", "yyyy", "age only")), forms


def test_no_two_people_share_a_name_and_date_of_birth(person_mentions):
    owner: dict[tuple, set[str]] = defaultdict(set)
    for pid, mentions in person_mentions.items():
        for p in mentions:
            dob = p.get("dob", "")
            if "family_name" in p and re.match(r"^\d{4}-\d{2}-\d{2}$", dob):
                owner[(frozenset(fold(_name(p)).split()), dob)].add(pid)
    assert owner and all(len(ids) == 1 for ids in owner.values())


def test_common_family_names_are_shared_by_many_people(person_mentions):
    nguyen = set()
    years = defaultdict(set)
    for pid, mentions in person_mentions.items():
        for p in mentions:
            name = _name(p)
            if name and "nguyen" in fold(name).split():
                nguyen.add(pid)
                if re.match(r"^\d{4}", p.get("dob", "")):
                    years[pid].add(p["dob"][:4])
    assert len(nguyen) >= 20
    assert len({min(y) for y in years.values() if y}) >= 10


def test_phones_written_in_every_uk_format_and_valid(world, truth_by_report):
    formats = Counter()
    for report in world.reports:
        for text in phone_texts(report):
            if re.match(r"^07\d{3} \d{6}$", text):
                formats["07700 900123"] += 1
            elif re.match(r"^\+44 7\d{3} \d{6}$", text):
                formats["+44 7700 900123"] += 1
            elif re.match(r"^07\d{9}$", text):
                formats["07700900123"] += 1
            elif re.match(r"^\+447\d{9}$", text):
                formats["+447700900123"] += 1
            else:
                formats["foreign"] += 1
    assert min(formats.values()) > 20 and len(formats) == 5, formats
    phones = {t["record_ref"] for t in world.truth if t["record_type"] == "phone"}
    drama = {p for p in phones if re.match(r"^\+447700900\d{3}$", p)}
    assert drama and len(phones) > 3 * len(drama)
    for p in phones - drama:
        number = phonenumbers.parse(p)
        assert phonenumbers.is_valid_number(number), p
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, p
    regions = {phonenumbers.region_code_for_number(phonenumbers.parse(p)) for p in phones}
    assert regions >= {"GB", "RO", "AL", "VN"}


def test_vehicles_accounts_and_businesses_vary_but_stay_valid(world, truth_by_report):
    vrms, ibans, sort_codes = Counter(), 0, Counter()
    business_names = defaultdict(set)
    for report in world.reports:
        truth = truth_by_report[(report["kind"], report["source_ref"])]
        for _, kind, obj in objects(report):
            if kind == "vehicle":
                assert VRM_RE.match(obj["vrm"]), obj
                vrms["space" if " " in obj["vrm"] else "no space"] += 1
                vrms["lower" if obj["vrm"].islower() else "upper"] += 1
            elif kind == "account":
                if "iban" in obj:
                    ibans += 1
                    assert iban_is_valid(obj["iban"]), obj
                if "sort_code" in obj:
                    sort_codes[re.sub(r"\d", "9", obj["sort_code"])] += 1
                    assert re.match(r"^\d{8}$", obj["account_number"])
            elif kind == "business":
                business_names[truth[obj["ref"]]["true_entity"]].add(obj["name"])
    assert min(vrms.values()) > 5, vrms
    assert ibans > 5 and set(sort_codes) == {"99-99-99", "999999", "99 99 99"}
    assert sum(len(v) >= 3 for v in business_names.values()) >= 5
    assert any(any(n.isupper() for n in names) and any(n.endswith(" Ltd") for n in names)
               for names in business_names.values())


def test_postcodes_are_valid_and_from_the_district_table(world):
    seen_forms = Counter()
    for report in world.reports:
        for _, kind, obj in objects(report):
            if kind != "location":
                continue
            pc = postcode_of(obj)
            if pc is None:
                seen_forms["none"] += 1
                continue
            assert pc.split()[0] in DISTRICTS, pc
            raw = obj.get("postcode")
            seen_forms["field" if raw else "in address"] += 1
            if raw:
                seen_forms["no space" if " " not in raw else "lower" if raw.islower() else "canonical"] += 1
            if "lat" in obj:
                d = DISTRICTS[pc.split()[0]]
                assert abs(obj["lat"] - d.lat) < 0.05 and abs(obj["lon"] - d.lon) < 0.05
    assert all(seen_forms[f] > 10 for f in ("none", "field", "in address", "no space", "lower")), seen_forms


def test_address_layouts_vary(world):
    layouts = Counter()
    for report in world.reports:
        for _, kind, obj in objects(report):
            if kind != "location":
                continue
            text = obj.get("address") or " | ".join(obj["lines"])
            if "lines" in obj:
                layouts["lines"] += 1
            if re.match(r"^Flat \d+, \d+ ", text):
                layouts["Flat 2, 10 High Street"] += 1
            if re.search(r"^\d+ .+ Flat \d+", text):
                layouts["10 High Street Flat 2"] += 1
            if re.search(r" (St|Rd|Ave|Ln)\b", text):
                layouts["abbreviated street"] += 1
    assert min(layouts.values()) > 10 and len(layouts) == 4, layouts


def test_intelligence_narratives_repeat_phones_postcodes_and_vrms(world):
    found = Counter()
    for report in world.reports:
        if report["kind"] != "intel":
            continue
        text = report["narrative"]
        if any(p in text for p in phone_texts(report)):
            found["phone"] += 1
        if re.search(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", text, re.I):
            found["postcode"] += 1
        if any(v["vrm"] in text for v in report["vehicles"]) or any(
                v["vrm"] in text for p in report["subjects"] for v in p.get("vehicles", [])):
            found["vrm"] += 1
    assert min(found.values()) > 20 and len(found) == 3, found


def test_handling_code_c_on_about_15_percent_of_intelligence(world):
    intel = [r for r in world.reports if r["kind"] == "intel"]
    c = [r for r in intel if r["grading"]["handling"] == "C"]
    assert 0.1 < len(c) / len(intel) < 0.2
    assert all(r["grading"]["conditions"] for r in c)
