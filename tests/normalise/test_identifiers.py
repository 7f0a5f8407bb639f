"""Registration marks, e-mails, bank accounts and nationalities."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.normalise import (
    BankAccount, Vrm, display_vrm, normalise_account, normalise_email, normalise_vrm, to_alpha3,
)

FAST = settings(max_examples=200, deadline=None)


def test_registration_marks_in_every_gb_format():
    assert normalise_vrm("ab12 cde") == Vrm("ab12 cde", "AB12CDE", True)
    assert normalise_vrm(" AB-12 CDE ").canonical == "AB12CDE"
    for mark in ("A123 BCD", "ABC 123D", "ABC 1", "1 ABC", "AIZ 1234", "K1"):
        assert normalise_vrm(mark).valid, mark
    assert not normalise_vrm("AB12 CDEF").valid and not normalise_vrm("12345678").valid
    assert normalise_vrm("") is None and normalise_vrm("- -") is None
    assert display_vrm("AB12CDE") == "AB12 CDE" and display_vrm("A123BCD") == "A123 BCD"
    assert display_vrm("ABC123D") == "ABC 123D" and display_vrm("abc1") == "ABC 1"


def test_emails():
    assert normalise_email("  MAILTO:Someone@Example.COM ") == "someone@example.com"
    assert normalise_email("Some One <some.one+tag@example.co.uk>") == "some.one+tag@example.co.uk"
    assert normalise_email("mailto:a@b.com?subject=hi") == "a@b.com"
    for bad in ("", "not an email", "a@b", "@b.com", "a@@b.com", "a..b@c.com", ".a@b.com",
                "a@-b.com", None, "a b@c.com"):
        assert normalise_email(bad) is None, bad


def test_accounts_sort_code_and_iban_resolve_together():
    iban = normalise_account(iban="GB82 WEST 1234 5698 7654 32")
    sc = normalise_account("12-34-56", "98765432")
    assert iban.valid and sc.valid
    assert iban.canonical == sc.canonical == "sc:123456:98765432"
    assert (iban.sort_code, iban.account_number, iban.iban) == ("123456", "98765432", "GB82WEST12345698765432")
    assert isinstance(sc, BankAccount) and sc.iban is None


def test_accounts_flags_and_foreign_ibans():
    bad = normalise_account(iban="GB00 WEST 1234 5698 7654 32")
    assert not bad.valid and bad.canonical == "iban:GB00WEST12345698765432"
    de = normalise_account(iban="DE89 3704 0044 0532 0130 00")
    assert de.valid and de.canonical == "iban:DE89370400440532013000"
    assert normalise_account("112233", "1234567").canonical == "sc:112233:01234567"
    assert normalise_account(account_number="12345678").canonical == "acct:12345678"
    assert not normalise_account(account_number="12345678").valid
    assert normalise_account(sort_code="112233") is None and normalise_account() is None


NATIONALITIES = {
    "Vietnam": "VNM", "Viet Nam": "VNM", "United Kingdom": "GBR", "UK": "GBR", "Great Britain": "GBR",
    "England": "GBR", "Albania": "ALB", "Vietnamese": "VNM", "Albanian": "ALB", "Romanian": "ROU",
    "Polish": "POL", "British": "GBR", "Eritrean": "ERI", "Sudanese": "SDN", "Nigerian": "NGA",
    "Chinese": "CHN", "Indian": "IND", "Pakistani": "PAK", "Slovak": "SVK", "Czech": "CZE",
    "Lithuanian": "LTU", "Bulgarian": "BGR", "Hungarian": "HUN", "Iranian": "IRN", "Iraqi": "IRQ",
    "Afghan": "AFG", "Filipino": "PHL", "Ghanaian": "GHA", "Ukrainian": "UKR", "Syrian": "SYR",
    "al": "ALB", "ROU": "ROU", "VN": "VNM", "gbr": "GBR", "Côte d'Ivoire": "CIV", "Ivorian": "CIV",
    "VIETNAMESE": "VNM", "albanian ": "ALB", "Kosovan": "XKX", "South Korea": "KOR",
    "Vietnamese national": "VNM", "British citizen": "GBR", "Türkiye": "TUR", "Turkish": "TUR",
    "Moldovan": "MDA", "Ethiopian": "ETH", "Somali": "SOM", "Egyptian": "EGY", "Bangladeshi": "BGD",
    "Sri Lankan": "LKA", "Brazilian": "BRA", "Dutch": "NLD", "Scottish": "GBR", "Welsh": "GBR",
}


def test_nationalities_names_demonyms_and_codes():
    for text, code in NATIONALITIES.items():
        assert to_alpha3(text) == code, text
    for stateless in ("Kurdish", "Kurd", "Arab", "Roma", "Stateless", "unknown", "", None, "xyz"):
        assert to_alpha3(stateless) is None, stateless


@FAST
@given(st.text(max_size=60))
def test_identifiers_never_raise_and_are_idempotent(text):
    v = normalise_vrm(text)
    if v is not None:
        assert normalise_vrm(v.canonical).canonical == v.canonical
        assert normalise_vrm(display_vrm(v.canonical)).canonical == v.canonical
    e = normalise_email(text)
    if e is not None:
        assert normalise_email(e) == e
    a = normalise_account(text, text, text)
    if a is not None and a.sort_code and a.account_number:
        assert normalise_account(a.sort_code, a.account_number).canonical.startswith("sc:")
    i = normalise_account(iban=text)
    if i is not None and i.iban:
        assert normalise_account(iban=i.iban).canonical == i.canonical
    n = to_alpha3(text)
    assert n is None or (len(n) == 3 and to_alpha3(n) == n)


@FAST
@given(st.from_regex(r"[0-9]{6}", fullmatch=True), st.from_regex(r"[0-9]{8}", fullmatch=True))
def test_a_gb_iban_built_from_an_account_meets_it(sort_code, number):
    bban = "WEST" + sort_code + number
    digits = "".join(str(int(c, 36)) for c in bban + "GB00")
    iban = f"GB{98 - int(digits) % 97:02d}{bban}"
    a, b = normalise_account(iban=iban), normalise_account(sort_code, number)
    assert a.valid and a.canonical == b.canonical == f"sc:{sort_code}:{number}"


def test_odd_python_values_get_none_not_an_exception():
    from ingest.normalise import (
        normalise_address, normalise_business, normalise_name, normalise_phone, normalise_postcode,
        parse_date, parse_datetime, parse_dob,
    )

    for odd in (["07700 900123"], {"a": 1}, 12, 3.5, b"bytes", object()):
        assert normalise_name(odd) is None and normalise_phone(odd) is None
        assert normalise_email(odd) is None and normalise_vrm(odd) is None
        assert normalise_business(odd) is None and normalise_postcode(odd) is None
        assert parse_dob(odd) is None and parse_date(odd) is None and parse_datetime(odd) is None
        assert to_alpha3(odd) is None and normalise_account(odd, odd, odd) is None
        assert normalise_address(odd, postcode=odd, town=odd, country=odd) is None
        assert normalise_address(lines=[odd, None]) is None
