"""Phones, postcodes, registration marks and e-mails written in free text, with their offsets.

- phones: `phonenumbers.PhoneNumberMatcher` at leniency POSSIBLE (VALID would miss Ofcom's
  drama range, 07700 900xxx). POSSIBLE alone also takes account numbers and references, so a
  match that is not a valid number is kept only when it is written like a phone number:
  starting with "+", "0" or "(" and with at least 10 digits.
- postcodes: a full UK postcode as a word of its own, written all upper case ("B6 4QS",
  "B64QS") or all lower case ("b6 4qs"), validated like `normalise_postcode`.
- registration marks: the current format only (two letters, two digits, three letters:
  "AB12 CDE" or "AB12CDE"), upper case in the text, as a word of its own, with a real age
  identifier (02-29 or 51-79). Older formats look too much like ordinary codes to find in prose.
- e-mails: the usual shape, then `normalise_email`.

Overlaps are settled by kind (e-mail, then phone, postcode, registration mark) and the result
is sorted by start. Only the first 100,000 characters are read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency

from ingest.normalise.addresses import normalise_postcode
from ingest.normalise.emails import normalise_email
from ingest.normalise.phones import normalise_phone

MAX_TEXT = 100_000
MAX_PHONE_MATCHES = 1_000

_B, _E = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"  # a word of its own
_POSTCODE_UP = re.compile(_B + r"(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})" + _E)
_POSTCODE_LOW = re.compile(_B + r"(gir ?0aa|[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2})" + _E)
_VRM = re.compile(_B + r"([A-Z]{2})([0-9]{2}) ?([A-Z]{3})" + _E)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,253}"
                    r"\.[A-Za-z]{2,63}" + _E)
_PRIORITY = {"email": 0, "phone": 1, "postcode": 2, "vrm": 3}


@dataclass(frozen=True, slots=True)
class Mention:
    kind: str  # 'phone' | 'postcode' | 'vrm' | 'email'
    value: str  # canonical
    raw: str
    start: int
    end: int


def _age_identifier_ok(digits: str) -> bool:
    n = int(digits)
    return 2 <= n <= 29 or 51 <= n <= 79


@lru_cache(maxsize=100_000)
def _is_valid(country_code, national_number, italian_leading_zero, leading_zeros) -> bool:
    """`phonenumbers.is_valid_number`, which reads only these fields of a number (its region
    from the country code and the national significant number, then that region's patterns),
    once per number: the same numbers recur across narratives, and pattern matching is most of
    the cost of finding them."""
    return phonenumbers.is_valid_number(phonenumbers.PhoneNumber(
        country_code=country_code, national_number=national_number,
        italian_leading_zero=italian_leading_zero, number_of_leading_zeros=leading_zeros))


class _Matcher(phonenumbers.PhoneNumberMatcher):
    """PhoneNumberMatcher at leniency POSSIBLE, each candidate text parsed once per process.

    At POSSIBLE, `_parse_and_verify(candidate, offset)` reads nothing but the candidate, the
    region and the leniency (the text around it is looked at from VALID up): the result for
    one candidate text is the same wherever it stands, and phone numbers, house numbers and
    dates recur across narratives. Should a later phonenumbers rename the method, this class
    simply parses every time (the version is pinned)."""

    def _parse_and_verify(self, candidate, offset):
        number = _possible_number(candidate, self.preferred_region)
        if number is None:
            return None
        return phonenumbers.PhoneNumberMatch(offset, candidate, number)


@lru_cache(maxsize=300)
def _empty_matcher(region: str) -> phonenumbers.PhoneNumberMatcher:
    return phonenumbers.PhoneNumberMatcher("", region, leniency=Leniency.POSSIBLE)


@lru_cache(maxsize=100_000)
def _possible_number(candidate: str, region: str):
    """The number PhoneNumberMatcher finds in this candidate at POSSIBLE (or None); shared
    between matches, which only read it."""
    match = phonenumbers.PhoneNumberMatcher._parse_and_verify(_empty_matcher(region), candidate, 0)
    return None if match is None else match.number


def _phones(text: str, region: str) -> list[Mention]:
    out = []
    try:
        matcher = _Matcher(text, region, leniency=Leniency.POSSIBLE, max_tries=MAX_PHONE_MATCHES)
        for m in matcher:
            digits = sum(map(str.isdigit, m.raw_string))
            n = m.number
            valid = _is_valid(n.country_code, n.national_number, n.italian_leading_zero,
                              n.number_of_leading_zeros)
            if not valid and not (m.raw_string[:1] in "+0(" and digits >= 10):
                continue
            ph = normalise_phone(m.raw_string, region)
            if ph is not None and ph.e164:
                out.append(Mention("phone", ph.e164, m.raw_string, m.start, m.end))
    except phonenumbers.NumberParseException:
        pass
    return out


def extract_mentions(text: str | None, region: str = "GB") -> list[Mention]:
    """Every phone, postcode, registration mark and e-mail in the text, by start offset."""
    if not isinstance(text, str) or not text:
        return []
    text = text[:MAX_TEXT]
    found: list[Mention] = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            value = normalise_email(m.group(0))
            if value:
                found.append(Mention("email", value, m.group(0), m.start(), m.end()))
    if sum(map(str.isdigit, text)) >= 7:
        found += _phones(text, region or "GB")
    for rx in (_POSTCODE_UP, _POSTCODE_LOW):
        for m in rx.finditer(text):
            pc = normalise_postcode(m.group(1))
            if pc:
                found.append(Mention("postcode", pc, m.group(1), m.start(1), m.end(1)))
    for m in _VRM.finditer(text):
        if _age_identifier_ok(m.group(2)):
            found.append(Mention("vrm", "".join(m.groups()), m.group(0), m.start(), m.end()))
    kept: list[Mention] = []
    starts: list[int] = []  # sorted starts of kept mentions, which never overlap
    ends: list[int] = []
    for m in sorted(found, key=lambda x: (_PRIORITY[x.kind], x.start, -(x.end - x.start))):
        i = bisect_right(starts, m.start)
        if i > 0 and ends[i - 1] > m.start:
            continue
        if i < len(starts) and starts[i] < m.end:
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        kept.append(m)
    return sorted(kept, key=lambda x: x.start)
