"""UK vehicle registration marks: upper case without spaces; current, prefix, suffix,
dateless and Northern Ireland formats count as valid; anything else is kept with valid False."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FORMATS = [
    re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$"),          # current: AB12CDE
    re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$"),           # prefix: A123BCD
    re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$"),           # suffix: ABC123D
    re.compile(r"^[A-Z]{1,3}[0-9]{1,4}$"),              # dateless: ABC1234
    re.compile(r"^[0-9]{1,4}[A-Z]{1,3}$"),              # dateless reversed: 1234ABC
    re.compile(r"^[A-Z]{1,3}[0-9]{1,4}$|^[A-Z]{2}Z[0-9]{1,4}$"),  # NI: ABZ1234
]
_CLEAN = re.compile(r"[^A-Z0-9]")


@dataclass(frozen=True, slots=True)
class Vrm:
    raw: str
    canonical: str
    valid: bool


@lru_cache(maxsize=100_000)
def normalise_vrm(text: str | None) -> Vrm | None:
    if not text or not isinstance(text, str):
        return None
    canon = _CLEAN.sub("", text[:32].upper())
    if not canon or len(canon) > 8:
        return None if not canon else Vrm(text, canon, False)
    return Vrm(text, canon, any(f.match(canon) for f in _FORMATS))


def display_vrm(canonical: str) -> str:
    if len(canonical) == 7 and _FORMATS[0].match(canonical):
        return f"{canonical[:4]} {canonical[4:]}"
    return canonical
