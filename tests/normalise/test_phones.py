"""Phone numbers: every way of writing a number gives one E.164 form."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.normalise import Phone, normalise_phone

FAST = settings(max_examples=200, deadline=None)


def test_the_written_forms_of_one_mobile_meet():
    forms = ["07700 900123", "+44 7700 900123", "0044 7700 900123", "(0)7700-900-123",
             "447700900123", "+44 (0)7700 900123", "07700900123", "tel:07700 900123"]
    assert {normalise_phone(f).canonical for f in forms} == {"+447700900123"}


def test_drama_range_is_possible_but_not_valid_and_we_say_so():
    # phonenumbers: is_valid_number False (Ofcom reserves 07700 900xxx), is_possible_number True
    p = normalise_phone("07700 900123")
    assert p == Phone("07700 900123", "+447700900123", False, "GB")
    real = normalise_phone("0121 496 0000")
    assert real.valid and real.e164 == "+441214960000" and real.country == "GB"
    assert normalise_phone("07911 123456").country == "GG"  # region of the number when valid


def test_foreign_numbers_and_regions():
    assert normalise_phone("+40 721 234 567").canonical == "+40721234567"
    assert normalise_phone("+40 721 234 567").country == "RO"
    assert normalise_phone("0721 234 567", region="RO").canonical == "+40721234567"
    assert normalise_phone("00 355 69 123 4567").canonical == "+355691234567"


def test_junk_is_kept_under_a_raw_key_and_no_digits_is_none():
    bad = normalise_phone("12")
    assert bad is not None and not bad.valid and bad.e164 is None and bad.canonical == "raw:12"
    assert normalise_phone("ext. 12-34").canonical == "raw:1234"
    assert normalise_phone("raw:1234").canonical == "raw:1234"
    for nothing in ("", "   ", "none", None, "n/a"):
        assert normalise_phone(nothing) is None


@FAST
@given(st.sampled_from(["7700 900", "7911 123", "7400 555", "7123 456"]), st.integers(0, 999),
       st.sampled_from(["0{a} {b}", "+44 {a} {b}", "0044 {a} {b}", "(0){a}-{b}", "44{a}{b}",
                        "+44 (0){a} {b}", "0{a}{b}", " 0{a} {b} "]))
def test_phone_formats_are_equivalent(prefix, tail, fmt):
    a, b = prefix.split()
    b = f"{b}{tail:03d}"
    expected = normalise_phone(f"+44{a}{b}").canonical
    assert expected == f"+44{a}{b}"
    assert normalise_phone(fmt.format(a=a, b=b)).canonical == expected


@FAST
@given(st.text(max_size=40))
def test_phones_never_raise_and_are_idempotent(text):
    p = normalise_phone(text)
    if p is not None:
        again = normalise_phone(p.canonical)
        assert again is not None and again.canonical == p.canonical
        if p.e164:
            assert again.e164 == p.e164 and again.valid == p.valid


# -- the fast path (digits and plain punctuation) gives what the slow path gives ----------------

from ingest.normalise import phones as P  # noqa: E402

_written = st.builds(
    lambda prefix, groups, seps: prefix + "".join(g + s for g, s in zip(groups, seps)),
    st.sampled_from(["", "+", "+44", "0044 ", "44", "0", "(0)", "+44 (0)", "+40 ", "00 355 ",
                     "tel:", " ", "-", "("]),
    st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=5),
    st.lists(st.sampled_from(["", " ", "-", ".", ")", "(", "  ", " - "]), min_size=5, max_size=5),
)


def _slow(text: str, region: str):
    raw = text.strip()[:P.MAX_LEN]
    return P.Phone(raw, *P._parse_number(P._prepare(raw), region))


@settings(max_examples=600, deadline=None)
@given(_written, st.sampled_from(["GB", "RO", "AL"]))
def test_the_fast_path_gives_what_phonenumbers_gives(text, region):
    fast = normalise_phone(text, region)
    if fast is not None and not text.strip().lower().startswith("raw:"):
        assert fast == _slow(text, region)


@FAST
@given(st.text("0123456789 +-.()x/#*", max_size=24), st.sampled_from(["GB", "VN"]))
def test_the_fast_path_matches_on_any_punctuated_digits(text, region):
    fast = normalise_phone(text, region)
    if fast is not None:
        assert fast == _slow(text, region)


def test_the_same_number_written_differently_is_parsed_once():
    normalise_phone.cache_clear()
    P._number.cache_clear()
    for form in ("07700 900 777", "07700-900-777", "(07700) 900777", "07700.900.777"):
        assert normalise_phone(form).e164 == "+447700900777"
    assert P._number.cache_info().misses == 1


def _reference(prepared: str, region: str):
    """_parse_number as it was, with phonenumbers.is_valid_number (the region found once now)."""
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

    try:
        num = phonenumbers.parse(prepared, region)
    except NumberParseException:
        return None, False, None
    if phonenumbers.is_possible_number_with_reason(num) != ValidationResult.IS_POSSIBLE:
        return None, False, None
    valid = phonenumbers.is_valid_number(num)
    country = (phonenumbers.region_code_for_number(num) if valid
               else phonenumbers.region_code_for_country_code(num.country_code))
    if country in (None, "ZZ", "001"):
        country = None
    return phonenumbers.format_number(num, PhoneNumberFormat.E164), valid, country


@settings(max_examples=600, deadline=None)
@given(_written | st.sampled_from(["+44 1481 123456", "+44 1624 123456", "+44 1534 123456",
                                   "+1 684 733 1234", "+7 701 123 4567", "+262 269 61 1234",
                                   "+800 1234 5678", "+882 3456 1234"]),
       st.sampled_from(["GB", "RO", "AL", "US", "VN", "JE"]))
def test_parse_number_finds_the_region_once_and_answers_as_before(text, region):
    prepared = P._prepare(text.strip()[:P.MAX_LEN])
    assert P._parse_number(prepared, region) == _reference(prepared, region)
