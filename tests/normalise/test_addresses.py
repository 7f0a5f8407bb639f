"""Postcodes and addresses: canonical one-line form, parts and keys."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.normalise import (
    Address, normalise_address, normalise_postcode, postcode_area, postcode_district, postcode_sector,
)
from ingest.normalise.addresses import POSTCODE_AREAS

FAST = settings(max_examples=200, deadline=None)


def test_postcodes_are_validated_and_written_canonically():
    for text in ("b11aa", "B1 1AA", " b1  1aa ", "B1-1AA"):
        assert normalise_postcode(text) == "B1 1AA"
    assert normalise_postcode("ec1a1bb") == "EC1A 1BB" and normalise_postcode("W1A 0AX") == "W1A 0AX"
    assert normalise_postcode("m11ae") == "M1 1AE" and normalise_postcode("cr26xh") == "CR2 6XH"
    assert normalise_postcode("dn551pt") == "DN55 1PT" and normalise_postcode("gir0aa") == "GIR 0AA"
    for bad in ("BFPO 123", "QQ1 1AA", "B1 1CA", "B1", "B11", "1AA", "hello", "", None,
                "B1 1AA B2 2BB", "ZZ9 9ZZ", "AB1C 1AA"):
        assert normalise_postcode(bad) is None, bad


def test_postcode_parts():
    assert postcode_district("B1 1AA") == "B1" and postcode_sector("B1 1AA") == "B1 1"
    assert postcode_area("B1 1AA") == "B" and postcode_area("EC1A 1BB") == "EC"
    assert postcode_district("ec1a1bb") == "EC1A" and postcode_sector("ec1a1bb") == "EC1A 1"
    assert postcode_district("B1") == "B1" and postcode_area("LS1") == "LS"
    assert postcode_district("nonsense") is None and postcode_sector("B1") is None


def test_flat_forms_and_abbreviations_meet():
    forms = [
        dict(address="Flat 2, 10 High St, Birmingham B1 1AA"),
        dict(address="10 High Street Flat 2, B1 1AA"),
        dict(address="FLAT 2 10 HIGH ST BIRMINGHAM B11AA"),
        dict(address="2/10 High St, Birmingham, B1 1AA"),
        dict(lines=["Flat 2", "10 High St"], postcode="b11aa", town="Birmingham"),
        dict(address="10 High Street", lines=None, postcode="B1 1AA"),
    ]
    seen = {normalise_address(**f).canonical for f in forms[:5]}
    assert seen == {"flat 2 10 high street b1 1aa"}
    a = normalise_address(**forms[0])
    assert isinstance(a, Address) and a.uk
    assert (a.house_number, a.flat, a.street, a.town) == ("10", "2", "high street", "birmingham")
    assert (a.postcode, a.district, a.sector) == ("B1 1AA", "B1", "B1 1")
    assert a.keys == ("pc:B1 1AA|10|2", "ps:B1 1|10", "st:B1|high street|10")
    assert normalise_address(**forms[5]).keys == ("pc:B1 1AA|10", "ps:B1 1|10", "st:B1|high street|10")


def test_flat_words_and_numbers():
    cases = {
        "Flat 2B, 10 High St, B1 1AA": ("2b", "10"),
        "Apt 3, 10 High St, B1 1AA": ("3", "10"),
        "Apartment 3, 10 High St, B1 1AA": ("3", "10"),
        "Unit 4, 10 High St, B1 1AA": ("4", "10"),
        "Flat A, 10a High St, B1 1AA": ("a", "10a"),
        "10-12 High St, B1 1AA": (None, "10-12"),
        "10 - 12 High St, B1 1AA": (None, "10-12"),
    }
    for text, (flat, number) in cases.items():
        a = normalise_address(text)
        assert (a.flat, a.house_number) == (flat, number), text


def test_street_abbreviations_and_saint():
    expand = {
        "Rd": "road", "Ave": "avenue", "Ln": "lane", "Cres": "crescent", "Dr": "drive",
        "Ct": "court", "Pl": "place", "Sq": "square", "Gdns": "gardens", "Terr": "terrace",
        "Ter": "terrace", "Cl": "close", "Gr": "grove", "Pk": "park", "St": "street",
    }
    for abbr, full in expand.items():
        assert normalise_address(f"5 Rose {abbr}, Leeds LS1 4DY").street == f"rose {full}", abbr
    a = normalise_address("10 St Mary's Road, St Albans, AL1 3AA")
    assert a.street == "saint marys road" and a.town == "saint albans"
    b = normalise_address("Unit 7, Rose Hse, Lea Ind Est, Luton LU1 1AA")
    # no house number: nothing is left out, the town stays
    assert b.canonical == "flat 7 rose house lea industrial estate luton lu1 1aa" and b.town == "luton"


def test_town_county_and_country_lines():
    a = normalise_address("10-12 Church Rd, Aston, Birmingham, West Midlands, B6 4QS, United Kingdom")
    assert a.town == "birmingham" and a.canonical == "10-12 church road b6 4qs" and a.uk
    b = normalise_address("10 High St, Walsall")
    assert b.canonical == "10 high street walsall" and b.postcode is None
    assert b.keys == ("tn:walsall|high street|10",)
    c = normalise_address("10 High St", town="Walsall", country="UK")
    assert c.canonical == "10 high street walsall" and c.uk


def test_non_uk_addresses_are_kept_raw():
    a = normalise_address("Strada Mihai Viteazu 5, Bucharest", country="Romania")
    assert not a.uk and a.postcode is None
    assert a.canonical == "strada mihai viteazu 5 bucharest romania"
    assert a.keys == ("raw:strada mihai viteazu 5 bucharest romania",)
    b = normalise_address("ul. Marszałkowska 10, 00-001 Warszawa, Poland")
    assert not b.uk and b.canonical == "ul marszalkowska 10 00-001 warszawa poland"
    assert normalise_address(b.canonical).canonical == b.canonical


def test_nothing_usable_is_none():
    for kwargs in ({}, {"address": ""}, {"address": ", ,"}, {"lines": []}, {"lines": [" ", ""]}):
        assert normalise_address(**kwargs) is None
    assert normalise_address("Girobank, Bootle GIR 0AA").postcode == "GIR 0AA"
    only_pc = normalise_address(postcode="b6 4qs")
    assert only_pc.canonical == "b6 4qs" and only_pc.postcode == "B6 4QS"


@st.composite
def postcodes(draw):
    area = draw(st.sampled_from(sorted(POSTCODE_AREAS)))
    district = draw(st.integers(0 if area in ("BL", "BS", "CM", "CR", "FY", "HA", "PR", "SL", "SS") else 1, 99 if len(area) == 2 else 9))
    inward = draw(st.from_regex(r"[0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True))
    return f"{area}{district} {inward}"


@FAST
@given(postcodes(), st.sampled_from(["{}", "{} ", " {}", "{}".lower()]), st.booleans(), st.booleans())
def test_postcode_canonical_round_trip(pc, fmt, lower, squash):
    text = pc.replace(" ", "") if squash else pc
    text = text.lower() if lower else text
    assert normalise_postcode(fmt.format(text)) == pc
    assert normalise_postcode(pc) == pc
    a = normalise_address(f"7 Mill Lane, Somewhere {text}")
    assert a.postcode == pc and a.keys[0] == f"pc:{pc}|7"


ADDRESS_WORDS = ["Flat", "2", "10", "10a", "12-14", "2/10", "High", "St", "Street", "Rd", "St",
                 "Mary's", "Apt", "Unit", "Birmingham", "B1 1AA", "LS1 4DY", ",", "Rose", "Ct",
                 "Ind", "Est", "West", "United Kingdom", "Romania", "Viet Nam"]


@FAST
@given(st.lists(st.sampled_from(ADDRESS_WORDS), max_size=12))
def test_address_like_text_is_idempotent(ws):
    a = normalise_address(" ".join(ws))
    if a is not None:
        b = normalise_address(a.canonical)
        assert b is not None and b.canonical == a.canonical and b.uk == a.uk
        if a.uk and a.house_number and a.postcode:
            assert b.keys[:2] == a.keys[:2] or set(a.keys) & set(b.keys)


@FAST
@given(st.text(max_size=80), st.text(max_size=10), st.text(max_size=10))
def test_addresses_never_raise_and_are_idempotent(text, pc, town):
    for a in (normalise_address(text), normalise_address(text, postcode=pc, town=town),
              normalise_address(lines=[text, town])):
        if a is not None and a.uk:
            assert normalise_address(a.canonical).canonical == a.canonical
    p = normalise_postcode(text)
    if p:
        assert normalise_postcode(p) == p
    postcode_district(text), postcode_sector(text), postcode_area(text)
