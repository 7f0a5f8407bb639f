"""Phones, postcodes, registration marks and e-mails found in narrative text."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from ingest.normalise import Mention, extract_mentions

FAST = settings(max_examples=200, deadline=None)


def test_a_narrative_gives_every_kind_with_offsets():
    text = ("Met at B6 4QS, rang 07700 900123, drove AB12 CDE, wrote to x.y@example.com. "
            "Later seen in ls14dy with +44 121 496 0000.")
    found = extract_mentions(text)
    assert [(m.kind, m.value) for m in found] == [
        ("postcode", "B6 4QS"), ("phone", "+447700900123"), ("vrm", "AB12CDE"),
        ("email", "x.y@example.com"), ("postcode", "LS1 4DY"), ("phone", "+441214960000")]
    for m in found:
        assert isinstance(m, Mention) and text[m.start:m.end] == m.raw
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_what_is_not_a_mention():
    text = ("account 12345678 sort code 11-22-33, born 03/04/1990, case ref 2024/123456, "
            "the WORD ABCD EFG, lower ab12 cde, postcode-like QQ1 1AA, vrm with old age AB00 CDE")
    assert extract_mentions(text) == []
    assert extract_mentions("") == [] and extract_mentions(None) == []


def test_registration_marks_with_or_without_space_and_no_postcode_clash():
    found = extract_mentions("VRM AB12CDE then LD12 ABC and postcode LD1 5AB")
    assert [(m.kind, m.value) for m in found] == [("vrm", "AB12CDE"), ("vrm", "LD12ABC"), ("postcode", "LD1 5AB")]


def test_overlaps_are_settled_and_long_text_is_capped():
    found = extract_mentions("mail 07700900123@example.com now")
    assert [(m.kind, m.value) for m in found] == [("email", "07700900123@example.com")]
    long = "x " * 60_000 + "B6 4QS"
    assert extract_mentions(long) == []  # beyond the first 100,000 characters


@FAST
@given(st.text(max_size=200))
def test_extraction_never_raises_and_spans_are_consistent(text):
    found = extract_mentions(text)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for m in found:
        assert text[m.start:m.end] == m.raw and m.kind in ("phone", "postcode", "vrm", "email")


@FAST
@given(st.sampled_from(["B6 4QS", "M1 1AE", "EC1A 1BB", "07700 900123", "+44 7700 900456", "AB12 CDE",
                        "a.b@example.org"]), st.text(alphabet=" .,;:!?\n", max_size=5),
       st.text(alphabet=" .,;:!?\n", max_size=5))
def test_mentions_are_found_whatever_the_punctuation_around(value, before, after):
    found = extract_mentions(f"seen{before} {value}{after} again")
    assert len(found) == 1 and found[0].raw.replace(" ", "") == value.replace(" ", "")


def _matches(matcher) -> list:
    return [(m.start, m.end, m.raw_string, m.number) for m in matcher]


_PHONE_TEXT = st.lists(st.sampled_from([
    "07700 900123", "+44 7700 900124", "(020) 7946 0018", "0121 496 0000", "12:30", "12/05/2020",
    "p.12-14", "ext. 12", "/ 0019", "+1 (555) 010-9999", "tel:+4420 7946 0018;ext=2", "0800 1111",
    "+683 4002", "00 33 1 23 45 67 89", "B6 4QS", "199", "2024/123456", "11-22-33 12345678",
    "born 1990", "call", "or", ",", " ", "x", "£", "%", "07700900123"]), max_size=12).map(" ".join)


@FAST
@given(_PHONE_TEXT)
def test_phones_are_found_as_phonenumbers_finds_them(text):
    """The matcher that parses each candidate once per process (text_extract._Matcher) and the
    cached validity give what phonenumbers itself gives, text after text (caches warm)."""
    import phonenumbers
    from phonenumbers import Leniency

    from ingest.normalise import text_extract as T

    for region in ("GB", "US"):
        plain = phonenumbers.PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE,
                                                max_tries=T.MAX_PHONE_MATCHES)
        fast = T._Matcher(text, region, leniency=Leniency.POSSIBLE, max_tries=T.MAX_PHONE_MATCHES)
        found = _matches(fast)
        assert found == _matches(plain)
        for *_, n in found:
            assert T._is_valid(n.country_code, n.national_number, n.italian_leading_zero,
                               n.number_of_leading_zeros) == phonenumbers.is_valid_number(n)
