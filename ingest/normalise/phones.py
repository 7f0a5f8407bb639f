"""Phone numbers to E.164 with `phonenumbers`, default region GB.

Ofcom's drama range (07700 900000-900999) is reserved, so `is_valid_number` says no; a number
that is *possible* for its region still gets its E.164 form, with `valid` False, so records
written "07700 900123" and "+44 7700 900123" meet. Text that is no number at all is kept raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Phone:
    raw: str
    e164: str | None
    valid: bool
    country: str | None

    @property
    def canonical(self) -> str:
        if self.e164:
            return self.e164
        return "raw:" + "".join(_DIGITS.findall(self.raw))


@lru_cache(maxsize=300_000)
def normalise_phone(text: str | None, region: str = "GB") -> Phone | None:
    if not text or not isinstance(text, str):
        return None
    raw = text.strip()[:64]
    if not _DIGITS.search(raw):
        return None
    s = raw
    if s.startswith("00"):
        s = "+" + s[2:]
    digits = "".join(_DIGITS.findall(s))
    if not s.startswith("+") and digits.startswith("44") and len(digits) in (12, 13):
        s = "+" + digits
    s = s.replace("(0)", "")
    try:
        num = phonenumbers.parse(s, region)
    except NumberParseException:
        return Phone(raw, None, False, None)
    if not phonenumbers.is_possible_number(num):
        return Phone(raw, None, False, None)
    valid = phonenumbers.is_valid_number(num)
    return Phone(raw, phonenumbers.format_number(num, PhoneNumberFormat.E164), valid,
                 phonenumbers.region_code_for_number(num))
