"""Phones, postcodes, vehicle registrations and e-mails written in free text, with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from ingest.normalise.addresses import normalise_postcode
from ingest.normalise.emails import normalise_email
from ingest.normalise.phones import normalise_phone

MAX_TEXT = 100_000
_PC = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_VRM = re.compile(r"\b[A-Z]{2}[0-9]{2} ?[A-Z]{3}\b")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")


@dataclass(frozen=True, slots=True)
class Mention:
    kind: str
    value: str
    raw: str
    start: int
    end: int


def extract_mentions(text: str | None, region: str = "GB") -> list[Mention]:
    if not text or not isinstance(text, str):
        return []
    text = text[:MAX_TEXT]
    found: list[Mention] = []
    try:
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            p = normalise_phone(m.raw_string, region)
            if p and p.e164:
                found.append(Mention("phone", p.e164, m.raw_string, m.start, m.end))
    except Exception:  # noqa: BLE001 - extraction never breaks ingest
        pass
    for m in _EMAIL.finditer(text):
        e = normalise_email(m.group(0))
        if e:
            found.append(Mention("email", e, m.group(0), m.start(), m.end()))
    for m in _PC.finditer(text):
        pc = normalise_postcode(m.group(0))
        if pc:
            found.append(Mention("postcode", pc, m.group(0), m.start(), m.end()))
    for m in _VRM.finditer(text):
        found.append(Mention("vrm", m.group(0).replace(" ", ""), m.group(0), m.start(), m.end()))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    last_end = -1
    for f in found:
        if f.start >= last_end:
            out.append(f)
            last_end = f.end
    return out
