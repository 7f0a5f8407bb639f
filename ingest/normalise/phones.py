"""Phone numbers to E.164 with `phonenumbers`, default region GB.

"07700 900123", "+44 7700 900123", "0044 7700 900123", "(0)7700-900-123" and "447700900123" all
give "+447700900123".

What phonenumbers 9.0 actually does with Ofcom's drama range (07700 900000-900999, used in every
example and in test data): `is_valid_number` is False (the range is reserved, never allocated)
and `is_possible_number` is True. So:

- `e164` is set whenever the number is *possible* for its country (right length; "local only"
  lengths do not count). Records written in different formats then still meet.
- `valid` stays honest: `is_valid_number`, False for the drama range and unallocated ranges.
- `country` is the number's region when valid (Jersey mobiles are "JE"), else the country code's
  main region ("GB" for +44).
- `canonical` is `e164`, or for text that is no possible number "raw:" + its digits, so even
  junk numbers resolve together when written alike. Input already in "raw:" form stays as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from ingest.normalise.caching import memoise

MAX_LEN = 64
_NON_DIGIT = re.compile(r"[^0-9]+")


@dataclass(frozen=True, slots=True)
class Phone:
    raw: str
    e164: str | None
    valid: bool
    country: str | None  # ISO 3166 alpha-2 region

    @property
    def canonical(self) -> str:
        return self.e164 or "raw:" + _NON_DIGIT.sub("", self.raw)


def _prepare(raw: str) -> str:
    s = raw.strip()
    if s.lower().startswith("tel:"):
        s = s[4:].strip()
    s = s.replace("(0)", " ")  # "+44 (0)7700 ..." and "(0)7700 ..."
    digits = _NON_DIGIT.sub("", s)
    if not s.startswith("+"):
        if s.startswith("00"):
            s = "+" + s[2:].lstrip()
        elif digits.startswith("44") and len(digits) in (12, 13):  # "447700900123"
            s = "+" + digits
    return s


# The fast path: text made only of digits, spaces, "-", "." and parentheses, with at most a
# leading "+", is read by phonenumbers from its digits alone (that punctuation is stripped and
# nothing else in it can mark an extension, a second number or an RFC 3966 part). Such text is
# reduced to "+"/digits and the number is worked out once per distinct digit string, so the many
# ways of writing one number ("07700 900123", "07700-900-123", "(07700) 900123") cost one parse.
# tests/normalise/test_phones.py checks that both paths give the same Phone.
_PLAIN = re.compile(r"\+?[0-9 ().\-]*")
_FAST_MIN_DIGITS = 7  # shorter text is never a possible number on either path


@memoise(300_000)
def normalise_phone(text: str | None, region: str = "GB") -> Phone | None:
    """A phone number; None only when the text holds no digit at all."""
    if not isinstance(text, str):
        return None
    raw = text.strip()[:MAX_LEN]
    if not _NON_DIGIT.sub("", raw):
        return None
    if raw.lower().startswith("raw:"):
        return Phone(raw, None, False, None)
    prepared = _prepare(raw)
    if _PLAIN.fullmatch(prepared):
        digits = _NON_DIGIT.sub("", prepared)
        if len(digits) >= _FAST_MIN_DIGITS:
            plus = "+" if prepared.startswith("+") else ""
            return Phone(raw, *_number(plus + digits, region or "GB"))
    return Phone(raw, *_parse_number(prepared, region or "GB"))


@memoise(300_000)
def _number(compact: str, region: str) -> tuple[str | None, bool, str | None]:
    return _parse_number(compact, region)


def _parse_number(prepared: str, region: str) -> tuple[str | None, bool, str | None]:
    """(e164, valid, country) of text prepared by `_prepare` (the slow path)."""
    try:
        num = phonenumbers.parse(prepared, region)
    except NumberParseException:
        return None, False, None
    if phonenumbers.is_possible_number_with_reason(num) != ValidationResult.IS_POSSIBLE:
        return None, False, None
    # phonenumbers.is_valid_number(num) is exactly this, and we need the region as well (it
    # was worked out twice: for +44 that is GB, GG, IM and JE pattern matching each time)
    region = phonenumbers.region_code_for_number(num)
    valid = phonenumbers.is_valid_number_for_region(num, region)
    if valid:
        country = region
    else:
        country = phonenumbers.region_code_for_country_code(num.country_code)
    if country in (None, "ZZ", "001"):
        country = None
    return phonenumbers.format_number(num, PhoneNumberFormat.E164), valid, country
