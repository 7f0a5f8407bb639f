"""Vehicle registration marks (VRMs): upper case, letters and digits only.

`valid` accepts the GB formats in use: current (AB12 CDE, since 2001), prefix (A123 BCD,
1983-2001), suffix (ABC 123D, 1963-1983), dateless (1-3 letters and 1-4 digits either way
round, e.g. "ABC 1", "1 ABC") and Northern Ireland (e.g. "AIZ 1234", a dateless shape).
Anything else keeps its canonical form with `valid` False (foreign plates, typos).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalise.caching import memoise
from ingest.normalise.names import ascii_lower

MAX_LEN = 32

_CURRENT = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$")
_PREFIX = re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$")
_SUFFIX = re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$")
_DATELESS = re.compile(r"^(?:[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3})$")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True, slots=True)
class Vrm:
    raw: str
    canonical: str  # upper case, no spaces: "AB12CDE"
    valid: bool


def _valid(c: str) -> bool:
    return bool(_CURRENT.match(c) or _PREFIX.match(c) or _SUFFIX.match(c) or _DATELESS.match(c))


@memoise(100_000)
def normalise_vrm(text: str | None) -> Vrm | None:
    """A registration mark; None when the text has no letter or digit."""
    if not isinstance(text, str):
        return None
    raw = text.strip()[:MAX_LEN]
    canonical = _NON_ALNUM.sub("", ascii_lower(raw).upper())
    if not canonical:
        return None
    return Vrm(raw, canonical, _valid(canonical))


def display_vrm(canonical: str) -> str:
    """The mark as written on the plate: "AB12 CDE", "A123 BCD", "ABC 123D", "ABC 123"."""
    v = normalise_vrm(canonical)
    if v is None:
        return ""
    c = v.canonical
    if _CURRENT.match(c):
        return f"{c[:4]} {c[4:]}"
    if _PREFIX.match(c):
        return f"{c[:-3]} {c[-3:]}"
    if _SUFFIX.match(c):
        return f"{c[:3]} {c[3:]}"
    if m := re.match(r"^([A-Z]+)([0-9]+)$|^([0-9]+)([A-Z]+)$", c):
        return " ".join(g for g in m.groups() if g)
    return c
