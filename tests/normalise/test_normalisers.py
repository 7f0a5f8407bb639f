"""Normalisers: examples users rely on, and properties (never raise, idempotent, order-free)."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings, strategies as st

from ingest.normalise import (
    birth_years_from_age, business_keys, extract_mentions, fold, name_keys, normalise_account,
    normalise_address, normalise_business, normalise_email, normalise_name, normalise_phone,
    normalise_postcode, normalise_vrm, parse_date, parse_datetime, parse_dob, to_alpha3,
)
from ingest.geo import ForceLookup
from ingest.normalise.addresses import POSTCODE_AREAS

FAST = settings(max_examples=200, deadline=None)


def test_folding_handles_the_populations_in_the_reports():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("Gëzim Çela") == "gezim cela"
    assert fold("Ștefan Țurcanu") == "stefan turcanu"
    assert fold("Łukasz Wójcik-Zieliński") == "lukasz wojcik zielinski"
    assert fold("Straße") == "strasse"


def test_name_order_diacritics_and_initials_meet():
    a = normalise_name("Nguyễn Văn An")
    b = normalise_name("Van An NGUYEN")
    c = normalise_name(given_names="Văn An", family_name="Nguyễn")
    assert a.tokens == b.tokens == c.tokens == ("an", "nguyen", "van")
    assert b.family == "nguyen" and c.family == "nguyen" and a.family == "nguyen"
    assert normalise_name("Mr Nguyen V. A.").tokens == ("a", "nguyen", "v")
    assert name_keys(a) == name_keys(b)


@FAST
@given(st.lists(st.sampled_from(["Nguyễn", "Văn", "An", "Gëzim", "Hoxha", "Ștefan", "Łukasz", "Mary-Jane"]),
                min_size=1, max_size=4, unique=True), st.randoms())
def test_name_tokens_and_keys_are_order_insensitive(words, rnd):
    shuffled = list(words)
    rnd.shuffle(shuffled)
    a, b = normalise_name(" ".join(words)), normalise_name(" ".join(shuffled))
    assert a.tokens == b.tokens
    assert name_keys(a) == name_keys(b)


@FAST
@given(st.text(max_size=80))
def test_name_normalising_never_raises_and_is_idempotent(text):
    n = normalise_name(text)
    if n is not None:
        again = normalise_name(n.folded)
        assert again is not None and again.tokens == n.tokens
        assert fold(n.folded) == n.folded


def test_dates_of_birth():
    assert parse_dob("1990-05-17").candidates[0].iso() == "1990-05-17"
    assert parse_dob("17/05/1990").candidates[0].iso() == "1990-05-17"
    amb = parse_dob("03/04/1990")
    assert [c.iso() for c in amb.candidates] == ["1990-04-03", "1990-03-04"] and amb.ambiguous
    assert parse_dob("1990-05").candidates[0].precision == "month"
    assert parse_dob("1990").candidates[0].precision == "year"
    assert parse_dob("31/02/1990") is None and parse_dob("3/4/90") is None
    est = birth_years_from_age(24, date(2026, 6, 1))
    assert (est.year_min, est.year_max, est.estimated) == (2001, 2002, True)


@FAST
@given(st.text(max_size=40))
def test_dates_never_raise_and_are_idempotent(text):
    d = parse_dob(text)
    if d is not None:
        for c in d.candidates:
            assert parse_dob(c.iso()).candidates[0] == c
    parse_date(text)
    parse_datetime(text)


def test_phone_formats_meet_and_bad_numbers_are_kept():
    forms = ["07700 900123", "+44 7700 900123", "0044 7700 900123", "(0)7700-900-123", "447700900123"]
    assert {normalise_phone(f).canonical for f in forms} == {"+447700900123"}
    bad = normalise_phone("12")
    assert bad is not None and not bad.valid and bad.canonical.startswith("raw:")


@FAST
@given(st.text(max_size=30))
def test_phones_never_raise_and_are_idempotent(text):
    p = normalise_phone(text)
    if p is not None and p.e164:
        assert normalise_phone(p.e164).e164 == p.e164


def test_addresses_meet_across_flat_and_abbreviation_variants():
    a = normalise_address("Flat 2, 10 High St, Birmingham B1 1AA")
    b = normalise_address("10 High Street Flat 2, B1 1AA")
    c = normalise_address(lines=["Flat 2", "10 High St"], postcode="b11aa", town="Birmingham")
    assert a.canonical == b.canonical == c.canonical == "flat 2 10 high street b1 1aa"
    assert (a.house_number, a.flat, a.postcode, a.district, a.sector) == ("10", "2", "B1 1AA", "B1", "B1 1")
    foreign = normalise_address("Strada Mihai Viteazu 5, Bucharest", country="Romania")
    assert not foreign.uk and foreign.postcode is None


@FAST
@given(st.text(max_size=60))
def test_addresses_and_postcodes_never_raise_and_are_idempotent(text):
    a = normalise_address(text)
    if a is not None and a.uk:
        assert normalise_address(a.canonical).canonical == a.canonical
    pc = normalise_postcode(text)
    if pc:
        assert normalise_postcode(pc) == pc


@FAST
@given(st.sampled_from(sorted(POSTCODE_AREAS)), st.from_regex(r"[1-9][0-9]? [0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True))
def test_postcode_canonical_round_trip(area, rest):
    pc = area + rest  # real postcode areas only: "QQ1 1AA" is not a postcode
    assert normalise_postcode(pc.replace(" ", "").lower()) == pc


def test_business_variants_share_a_fingerprint():
    names = ["Sparkle Hand Car Wash Ltd", "Sparkle Handcarwash", "SPARKLE HAND CAR WASH LIMITED",
             "ABC Holdings Ltd t/a Sparkle Hand Car Wash"]
    assert {normalise_business(n).fingerprint for n in names} == {"sparklehandcarwash"}
    assert "bf:sparklehandcarwash" in business_keys(normalise_business(names[0]))


@FAST
@given(st.text(max_size=60))
def test_business_vehicle_email_account_never_raise_and_are_idempotent(text):
    b = normalise_business(text)
    if b is not None:
        assert normalise_business(b.canonical).fingerprint == b.fingerprint
    v = normalise_vrm(text)
    if v is not None:
        assert normalise_vrm(v.canonical).canonical == v.canonical
    e = normalise_email(text)
    if e is not None:
        assert normalise_email(e) == e
    normalise_account(text, text, text)
    to_alpha3(text)
    extract_mentions(text)


def test_vehicles_emails_accounts_nationalities():
    assert normalise_vrm("ab12 cde").canonical == "AB12CDE" and normalise_vrm("ab12 cde").valid
    assert normalise_email("  MAILTO:Someone@Example.COM ") == "someone@example.com"
    iban = normalise_account(iban="GB82 WEST 1234 5698 7654 32")
    assert iban.valid and iban.canonical == normalise_account("12-34-56", "98765432").canonical
    assert not normalise_account(iban="GB00 WEST 1234 5698 7654 32").valid
    assert [to_alpha3(x) for x in ("Vietnamese", "Viet Nam", "UK", "al", "ROU", "Kurdish")] == \
        ["VNM", "VNM", "GBR", "ALB", "ROU", None]


def test_free_text_extraction_with_offsets():
    text = "Met at B6 4QS, rang 07700 900123, drove AB12 CDE, wrote to x.y@example.com"
    found = {(m.kind, m.value) for m in extract_mentions(text)}
    assert found == {("postcode", "B6 4QS"), ("phone", "+447700900123"), ("vrm", "AB12CDE"),
                     ("email", "x.y@example.com")}
    for m in extract_mentions(text):
        assert text[m.start:m.end] == m.raw


def test_force_of_a_postcode():
    geo = ForceLookup.shipped()
    assert geo.force_for_postcode("B6 4QS") == "west-midlands"
    assert geo.force_for_postcode("cv31 1aa") == "warwickshire"
    assert geo.force_for_postcode("EH1 1AA") == "police-scotland"
    assert geo.force_for_postcode("not a postcode") is None


def test_onspd_import_gives_exact_answers(tmp_path):
    from ingest.geo import load_onspd

    src = tmp_path / "ONSPD.csv"
    src.write_text("pcd,pcds,pfa\nB6  4QS,B6 4QS,E23000017\nM1  1AA,M1 1AA,E23000005\n", encoding="utf-8")
    n = load_onspd(src, tmp_path / "pc.sqlite")
    exact = ForceLookup(exact_path=tmp_path / "pc.sqlite")
    assert n == 2
    assert exact.force_for_postcode("B6 4QS") == "warwickshire"  # the exact table wins
    assert exact.force_for_postcode("B7 1AA") == "west-midlands"  # else the district table


def test_random_garbage_does_not_break_anything():
    rnd = random.Random(5)
    for _ in range(500):
        s = "".join(chr(rnd.randrange(0, 0x2FFF)) for _ in range(rnd.randrange(0, 40)))
        normalise_name(s)
        normalise_address(s)
        normalise_phone(s)
