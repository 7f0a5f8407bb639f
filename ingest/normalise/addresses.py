"""UK addresses and postcodes.

Postcodes are validated and written `B1 1AA`; district (`B1`), sector (`B1 1`) and area (`B`)
follow. From the rest: flat (Flat 2, Apt 3, Unit 4, 2/10), house number (10, 10a, 10-12), street
with abbreviations expanded (St -> street, Rd -> road ...; "St" opening a street name is "saint"),
town. The canonical one-line form puts the flat first so "Flat 2, 10 High St" and
"10 High Street Flat 2" meet. Non-UK addresses are kept raw (folded) with uk False.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalise.names import fold

_PC = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_PC_FULL = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")

ABBREVIATIONS = {
    "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane",
    "cres": "crescent", "cresc": "crescent", "dr": "drive", "ct": "court", "pl": "place",
    "sq": "square", "gdns": "gardens", "gdn": "garden", "terr": "terrace", "ter": "terrace",
    "tce": "terrace", "cl": "close", "gr": "grove", "gro": "grove", "pk": "park", "hse": "house",
    "bldgs": "buildings", "bldg": "building", "est": "estate", "ind": "industrial",
    "hwy": "highway", "pde": "parade", "wy": "way", "mt": "mount", "rdg": "ridge",
    "blvd": "boulevard", "cnr": "corner", "ctr": "centre", "mkt": "market", "nth": "north",
    "sth": "south", "upr": "upper", "lwr": "lower", "wk": "walk", "yd": "yard", "bdwy": "broadway",
}
_FLAT_WORDS = ("flat", "apartment", "apt", "unit", "room", "suite", "maisonette")
_FLAT = re.compile(r"\b(?:flat|apartment|apt|unit|room|suite|maisonette)\s*(?:no\s*)?([0-9]+[a-z]?|[a-z])\b")
_SLASH = re.compile(r"\b([0-9]+[a-z]?)\s*/\s*([0-9]+[a-z]?)\b")
_NUMBER = re.compile(r"^([0-9]+[a-z]?(?:\s*-\s*[0-9]+[a-z]?)?)\b")
_UK_WORDS = {"uk", "gb", "united kingdom", "great britain", "england", "scotland", "wales",
             "northern ireland", "britain"}
_FOREIGN_HINTS = {"romania", "albania", "vietnam", "viet nam", "poland", "nigeria", "france",
                  "germany", "italy", "spain", "china", "india", "pakistan", "bulgaria",
                  "lithuania", "slovakia", "czech republic", "hungary", "ireland", "eritrea",
                  "sudan", "greece", "netherlands", "belgium", "portugal", "turkey", "ukraine"}


@dataclass(frozen=True, slots=True)
class Address:
    raw: str
    canonical: str
    postcode: str | None
    district: str | None
    sector: str | None
    house_number: str | None
    flat: str | None
    street: str | None
    town: str | None
    uk: bool
    keys: tuple[str, ...]


@lru_cache(maxsize=200_000)
def normalise_postcode(text: str | None) -> str | None:
    if not text or not isinstance(text, str):
        return None
    s = re.sub(r"[^A-Z0-9]", "", text.upper()[:16])
    if not _PC_FULL.match(s):
        return None
    return f"{s[:-3]} {s[-3:]}"


def postcode_district(pc: str) -> str:
    return pc.split(" ")[0]


def postcode_sector(pc: str) -> str:
    out, inw = pc.split(" ")
    return f"{out} {inw[0]}"


def postcode_area(pc: str) -> str:
    return re.match(r"[A-Z]+", pc).group(0)


def _find_postcode(text: str) -> tuple[str | None, str]:
    up = text.upper()
    for m in _PC.finditer(up):
        pc = normalise_postcode(m.group(1) + m.group(2))
        if pc:
            return pc, text[:m.start()] + " " + text[m.end():]
    return None, text


def _expand(tokens: list[str]) -> list[str]:
    """Expand abbreviations; "st" opening the street with a name after it is "saint"."""
    out = []
    for i, t in enumerate(tokens):
        if t == "st" and i == 0 and len(tokens) > 1 and tokens[1] not in ABBREVIATIONS:
            out.append("saint")
        else:
            out.append(ABBREVIATIONS.get(t, t))
    return out


@lru_cache(maxsize=200_000)
def _normalise(address: str, postcode: str, town: str, country: str) -> Address | None:
    raw = address.strip()
    text = raw
    pc = normalise_postcode(postcode) if postcode else None
    if pc is None:
        pc, text = _find_postcode(text)
    else:
        _found, text = _find_postcode(text)
    ctry = fold(country)
    folded_all = fold(raw + " " + country)
    uk = True
    if ctry and ctry not in _UK_WORDS:
        uk = False
    elif pc is None and any(h in folded_all for h in _FOREIGN_HINTS):
        uk = False
    if not uk:
        canon = fold(" ".join(x for x in (raw, postcode, town, country) if x))
        if not canon:
            return None
        return Address(raw=raw, canonical=canon, postcode=None, district=None, sector=None,
                       house_number=None, flat=None, street=None, town=fold(town) or None, uk=False,
                       keys=(f"raw:{canon}",))
    body = fold(text)
    # drop a trailing country word
    for w in sorted(_UK_WORDS, key=len, reverse=True):
        if body.endswith(" " + w) or body == w:
            body = body[: -len(w)].strip()
    flat = None
    m = _SLASH.search(text.lower())
    if m:  # Scottish style 2/10: flat 2 at number 10
        flat = m.group(1)
        text = text[:m.start()] + " " + m.group(2) + " " + text[m.end():]
        body = fold(text)
        for w in sorted(_UK_WORDS, key=len, reverse=True):
            if body.endswith(" " + w) or body == w:
                body = body[: -len(w)].strip()
    m = _FLAT.search(body)
    if m:
        flat = m.group(1)
        body = (body[:m.start()] + " " + body[m.end():]).strip()
    body = re.sub(r"\s+", " ", body)
    tokens = body.split()
    house = None
    street_tokens: list[str] = []
    rest: list[str] = []
    # house number: the first token that is a number (possibly a range), then the street follows
    for i, t in enumerate(tokens):
        mm = _NUMBER.match(" ".join(tokens[i:i + 3]))
        if re.fullmatch(r"[0-9]+[a-z]?", t):
            if i + 2 < len(tokens) and tokens[i + 1] == "" :
                pass
            house = t
            if i + 2 < len(tokens) and re.fullmatch(r"[0-9]+[a-z]?", tokens[i + 2]) and tokens[i + 1] in ("-", "to"):
                house = f"{t}-{tokens[i + 2]}"
                i += 2
            rest = tokens[i + 1:]
            break
        street_tokens.append(t)
        del mm
    else:
        rest = []
        street_tokens = tokens
    words = _expand(rest if house else street_tokens)
    town_f = fold(town) if town else ""
    street_words = words
    if town_f and street_words[-len(town_f.split()):] == town_f.split():
        street_words = street_words[: -len(town_f.split())]
    # the street ends at its designator (road, street ...); what follows is locality/town
    street = None
    designators = set(ABBREVIATIONS.values()) | {"row", "hill", "way", "rise", "green", "mews", "view", "wharf", "quay"}
    for i, w in enumerate(street_words):
        if w in designators and i > 0:
            street = " ".join(street_words[: i + 1])
            locality = street_words[i + 1:]
            if not town_f and locality:
                town_f = " ".join(locality)
            break
    if street is None and street_words:
        street = " ".join(street_words)
    if house is None:
        prefix = " ".join(_expand(street_tokens)) if street_tokens and rest else ""
        street = street or prefix or None
    parts = []
    if flat:
        parts.append(f"flat {flat}")
    if house:
        parts.append(house)
    if street:
        parts.append(street)
    if town_f and town_f not in (street or "") and not pc:
        # with a postcode the town adds nothing and is often left out: keep it out of the key
        parts.append(town_f)
    if pc:
        parts.append(pc.lower())
    canonical = " ".join(parts) or fold(raw)
    if not canonical:
        return None
    keys = []
    if pc:
        district, sector = postcode_district(pc), postcode_sector(pc)
        if house:
            keys.append(f"pc:{pc}|{house}" + (f"|{flat}" if flat else ""))
            keys.append(f"ps:{sector}|{house}")
            if street:
                keys.append(f"st:{district}|{street}|{house}")
        elif flat:
            keys.append(f"pc:{pc}|u{flat}")
    else:
        district = sector = None
    if house and street:
        # street and number alone: how an address written without its postcode meets one with it
        keys.append(f"sn:{street}|{house}")
    return Address(raw=raw, canonical=canonical, postcode=pc, district=district, sector=sector,
                   house_number=house, flat=flat, street=street, town=town_f or None, uk=True,
                   keys=tuple(keys))


def normalise_address(address: str | None = None, lines: list[str] | None = None,
                      postcode: str | None = None, town: str | None = None,
                      country: str | None = None) -> Address | None:
    try:
        text = address if isinstance(address, str) else ""
        if not text and lines:
            text = ", ".join(str(l) for l in lines if l)
        text = text[:1000]
        if not text and not postcode:
            return None
        return _normalise(text, postcode if isinstance(postcode, str) else "",
                          town if isinstance(town, str) else "", country if isinstance(country, str) else "")
    except Exception:  # noqa: BLE001 - a normaliser never raises on input
        return None
