"""UK postcodes and addresses.

Postcodes: validated against the full UK pattern (outward letters in their allowed positions, a
real postcode area, inward `9AA` without C I K M O V; "GIR 0AA" too; BFPO numbers are not
postcodes) and written `B1 1AA`. District `B1`, sector `B1 1`, area `B`. Jersey, Guernsey and
Isle of Man postcodes (JE, GY, IM) are valid postcodes but have no UK police force.

Addresses are read into flat, house number, street, town and postcode:
- flat: "Flat 2", "Flat 2B", "Apt 3", "Apartment 3", "Unit 4", "Room 5", "Suite 6" wherever they
  stand, Scottish "2/10 High St" (flat 2 at number 10), and descriptive flats ("Ground Floor
  Flat" -> flat "ground floor", "Garden Flat" -> "garden");
- house number: "10", "10a", "10-12" (also written "10 - 12");
- street: the words after the house number in its line, abbreviations expanded (St -> street,
  Rd -> road, Ave -> avenue ...; "St" opening a street or place name is "saint": "St Mary's Road"
  -> "saint marys road"); the street ends at the last street word of its line ("road",
  "street" ... and a following "north", "upper" ...), so one-line addresses without commas read
  the same as those with; what follows is locality and town;
- the postcode is taken from the text when not given separately (every postcode in the text is
  removed from it; a postcode given separately wins).

`canonical` is one line, lower-case ASCII: the flat first ("flat 2 10 high street b1 1aa"), so
"Flat 2, 10 High St" and "10 High Street Flat 2" meet. When there is a postcode and a house
number, what follows the street (locality, town, county) is left out of `canonical`: the
postcode already places the address, and "10 High St, B1 1AA" then meets "10 High Street,
Birmingham, B1 1AA". Otherwise everything written is kept, town included. UK country words
("United Kingdom", "England", "UK") are dropped. `address` (one line) wins over `lines` when
both are given; a separate `town` is read as the last line.

Keys (sorted): "pc:<postcode>|<house number>[|<flat>]" (or "pc:<postcode>|<premises or street
name>[|<flat>]" when there is no number), "ps:<sector>|<house number>",
"st:<district>|<street>|<house number>", and without a postcode
"tn:<town>|<street>|<house number>".

Non-UK: a country given that is not the UK, or no UK postcode and a foreign country ending the
text -> `uk` False, `canonical` the folded raw text (its words lower-case ASCII; "10-12" and
"2/10" kept whole, as in UK addresses), keys ("raw:<canonical>",).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalise.caching import memoise
from ingest.normalise.names import ascii_lower, fold
from ingest.normalise.nationality import (
    country_name, country_words, country_words_max, to_alpha3,
)

MAX_LEN = 500
MAX_LINES = 20

POSTCODE_AREAS = frozenset(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY "
    "E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS "
    "LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO "
    "SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE".split()
)
CROWN_DEPENDENCY_AREAS = frozenset({"GY", "JE", "IM"})

_PC_COMPACT = re.compile(r"^([A-Z]{1,2})([0-9])([A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9])([A-Z0-9]?)$")
_INWARD = re.compile(r"^[0-9][ABD-HJLNP-UW-Z]{2}$")
_NON_ALNUM_UP = re.compile(r"[^A-Z0-9]+")

ABBREVIATIONS = {
    "rd": "road", "ave": "avenue", "av": "avenue", "avn": "avenue", "ln": "lane",
    "cres": "crescent", "cresc": "crescent", "cr": "crescent", "dr": "drive", "drv": "drive",
    "ct": "court", "crt": "court", "pl": "place", "sq": "square", "gdns": "gardens",
    "gdn": "garden", "gds": "gardens", "terr": "terrace", "ter": "terrace", "tce": "terrace",
    "cl": "close", "gr": "grove", "gro": "grove", "grv": "grove", "pk": "park", "hse": "house",
    "ho": "house", "bldgs": "buildings", "bldg": "building", "est": "estate",
    "ind": "industrial", "hwy": "highway", "pde": "parade", "wy": "way", "mt": "mount",
    "rdg": "ridge", "blvd": "boulevard", "cnr": "corner", "ctr": "centre", "mkt": "market",
    "nth": "north", "sth": "south", "upr": "upper", "lwr": "lower", "wk": "walk", "wlk": "walk",
    "yd": "yard", "grn": "green", "hts": "heights", "cotts": "cottages", "mws": "mews",
    "ms": "mews", "appr": "approach", "espl": "esplanade", "prom": "promenade", "vw": "view",
    "gt": "great", "lt": "little", "sta": "station", "stn": "station", "rw": "row",
}
STREET_WORDS = frozenset({
    "street", "road", "avenue", "lane", "crescent", "drive", "court", "place", "square",
    "gardens", "garden", "terrace", "close", "grove", "park", "way", "walk", "hill", "row",
    "mews", "parade", "rise", "green", "view", "vale", "gate", "wharf", "yard", "circus",
    "boulevard", "highway", "broadway", "quay", "embankment", "approach", "esplanade",
    "promenade", "causeway", "wynd", "brae", "loan", "path", "passage", "alley", "croft",
    "chase", "meadow", "meadows", "mount", "heights", "buildings", "estate", "market", "bank",
    "fields", "cottages", "villas", "precinct", "ridge", "corner", "end", "side", "dale",
    "gate", "hollow", "court", "avenues", "crossing", "circle", "link", "spur", "cross",
})
DIRECTIONS = frozenset({"north", "south", "east", "west", "upper", "lower", "central"})
FLAT_WORDS = frozenset({"flat", "flt", "apartment", "apt", "appt", "apts", "unit", "room",
                        "suite", "maisonette", "studio"})
FLAT_DESCRIPTORS = frozenset({"garden", "top", "basement", "ground", "first", "second", "third",
                              "fourth", "fifth", "1st", "2nd", "3rd", "4th", "5th", "upper",
                              "lower", "rear", "front", "attic", "bottom", "floor", "lgf", "gf"})
_FLAT_GLUED = re.compile(r"^(?:flat|flt|apt|unit)([0-9]+[a-z]?)$")
_FLAT_VALUE = re.compile(r"^(?:[0-9]+[a-z]?|[a-z]|[0-9]+/[0-9]+[a-z]?)$")
_NUMBER = re.compile(r"^[0-9]+[a-z]?(?:-[0-9]+[a-z]?)?$")
_SLASH_PAIR = re.compile(r"^([0-9]+[a-z]?)/([0-9]+[a-z]?)$")
_KEEP_JOINED = re.compile(r"^[0-9]+[a-z]?[-/][0-9]+[a-z]?$")
_JOIN_RANGE = re.compile(r"([0-9][a-z]?)\s*([-/])\s*(?=[0-9])")
_APOSTROPHES = re.compile(r"['`\u2019\u2018]")
_TOKEN_CHARS = re.compile(r"[^a-z0-9/\-]+")
_SEGMENT_SPLIT = re.compile(r"[,\n\r;|]+")
COUNTIES = frozenset({
    "bedfordshire", "beds", "berkshire", "berks", "buckinghamshire", "bucks", "cambridgeshire",
    "cambs", "cheshire", "cornwall", "cumbria", "derbyshire", "devon", "dorset", "durham",
    "county durham", "co durham", "east riding of yorkshire", "east yorkshire", "east sussex",
    "essex", "gloucestershire", "glos", "greater london", "greater manchester", "hampshire",
    "hants", "herefordshire", "hertfordshire", "herts", "isle of wight", "kent", "lancashire",
    "lancs", "leicestershire", "leics", "lincolnshire", "lincs", "merseyside", "middlesex",
    "norfolk", "north yorkshire", "northamptonshire", "northants", "northumberland",
    "nottinghamshire", "notts", "oxfordshire", "oxon", "rutland", "shropshire", "salop",
    "somerset", "south yorkshire", "staffordshire", "staffs", "suffolk", "surrey",
    "tyne and wear", "tyne wear", "warwickshire", "warks", "west midlands", "w midlands",
    "west sussex", "west yorkshire", "wiltshire", "wilts", "worcestershire", "worcs", "avon",
    "cleveland", "humberside", "yorkshire", "sussex", "clwyd", "dyfed", "gwent", "gwynedd",
    "powys", "glamorgan", "mid glamorgan", "south glamorgan", "west glamorgan",
    "county antrim", "co antrim", "county down", "co down", "county armagh", "co armagh",
    "county tyrone", "co tyrone", "county fermanagh", "co fermanagh", "county londonderry",
    "co londonderry", "lanarkshire", "north lanarkshire", "south lanarkshire", "ayrshire",
    "renfrewshire", "fife", "midlothian", "west lothian", "east lothian", "aberdeenshire",
})
_UK_NAMES = ("united kingdom", "great britain", "northern ireland", "england", "scotland",
             "wales", "britain", "uk", "u k", "gb", "gbr")


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


# -- postcodes -------------------------------------------------------------------------------

def _valid_compact(s: str) -> bool:
    if s == "GIR0AA":
        return True
    m = _PC_COMPACT.match(s)
    if not m:
        return False
    area, _digit, extra, _inward = m.groups()
    if area not in POSTCODE_AREAS and area not in CROWN_DEPENDENCY_AREAS:
        return False
    if extra.isalpha():  # A9A: third letter from ABCDEFGHJKPSTUW; AA9A: fourth from ABEHMNPRVWXY
        allowed = "ABCDEFGHJKPSTUW" if len(area) == 1 else "ABEHMNPRVWXY"
        return extra in allowed
    return True


@memoise(200_000)
def normalise_postcode(text: str | None) -> str | None:
    """"b11aa", "B1  1AA", "b1-1aa" -> "B1 1AA"; None when the text is not one UK postcode."""
    if not isinstance(text, str) or len(text) > 20:
        return None
    s = _NON_ALNUM_UP.sub("", text.upper())
    if not 5 <= len(s) <= 7 or not _valid_compact(s):
        return None
    return f"{s[:-3]} {s[-3:]}"


def _outward(text: str | None) -> str | None:
    """The outward code of a postcode, or of an outward code given alone ("B1", "ec1a")."""
    if not isinstance(text, str):
        return None
    pc = normalise_postcode(text)
    if pc:
        return pc.split(" ")[0]
    s = _NON_ALNUM_UP.sub("", text.upper()[:20])
    m = _OUTWARD.match(s)
    if m and (m.group(1) in POSTCODE_AREAS or m.group(1) in CROWN_DEPENDENCY_AREAS):
        if _valid_compact(s + "1AA"):
            return s
    return None


def postcode_district(pc: str | None) -> str | None:
    """"B1 1AA" -> "B1" (an outward code alone is returned as it is); None if not a postcode."""
    return _outward(pc)


def postcode_sector(pc: str | None) -> str | None:
    """"B1 1AA" -> "B1 1"; None if not a full postcode."""
    full = normalise_postcode(pc) if isinstance(pc, str) else None
    return full[:-2] if full else None


def postcode_area(pc: str | None) -> str | None:
    """"B1 1AA" -> "B", "EC1A 1BB" -> "EC"; None if not a postcode or outward code."""
    out = _outward(pc)
    if not out:
        return None
    return out[:2] if out[1:2].isalpha() else out[:1]


# -- addresses -------------------------------------------------------------------------------

def _tokens(segment: str) -> list[str]:
    """The words of one address line or part (a new list: callers take words out of it)."""
    return list(_segment_tokens(segment))


@lru_cache(maxsize=100_000)
def _segment_tokens(segment: str) -> tuple[str, ...]:
    # lines repeat far more than whole addresses do (towns, streets, "Flat 2")
    s = _APOSTROPHES.sub("", ascii_lower(segment[:MAX_LEN]))
    s = _JOIN_RANGE.sub(r"\1\2", s)
    out: list[str] = []
    for tok in _TOKEN_CHARS.sub(" ", s).split():
        if ("-" in tok or "/" in tok) and not _KEEP_JOINED.match(tok):
            out.extend(t for t in re.split(r"[-/]+", tok) if t)
        else:
            out.append(tok)
    return tuple(out)


def _segments(parts: list[str]) -> list[list[str]]:
    segs = []
    for part in parts[:MAX_LINES]:
        for seg in _SEGMENT_SPLIT.split(part[:MAX_LEN]):
            toks = _tokens(seg)
            if toks:
                segs.append(toks)
    return segs


def _take_flat(segs: list[list[str]]) -> str | None:
    """Remove the first flat designation (in reading order) from the tokens and return it."""
    for si, seg in enumerate(segs):
        leading = True  # still among the numbers opening the line
        for i, tok in enumerate(seg):
            if m := _FLAT_GLUED.match(tok):  # "flat2"
                del seg[i]
                return m.group(1)
            if leading and (m := _SLASH_PAIR.match(tok)):  # Scottish "2/10 High St"
                seg[i] = m.group(2)
                return m.group(1)
            leading = leading and bool(_NUMBER.match(tok))
            if tok not in FLAT_WORDS:
                continue
            j = i + 1
            if j < len(seg) and seg[j] in ("no", "number"):
                j += 1
            if j < len(seg) and _FLAT_VALUE.match(seg[j]):  # "flat 2", "apt 3b", "flat a"
                value = seg[j]
                del seg[i:j + 1]
                return value
            j = i + 1
            while j < len(seg) and seg[j] in FLAT_DESCRIPTORS:  # "flat ground floor"
                j += 1
            if j > i + 1:
                value = " ".join(seg[i + 1:j])
                del seg[i:j]
                return value
            before = _descriptors_before(segs, si, i)  # "ground floor flat", "garden flat"
            if before:
                value = " ".join(segs[a][b] for a, b in before)
                for a, b in sorted(before + [(si, i)], reverse=True):  # right to left
                    del segs[a][b]
                return value
    return None


def _descriptors_before(segs: list[list[str]], si: int, i: int) -> list[tuple[int, int]]:
    """Positions of the descriptor words just before segs[si][i], across line breaks
    ("Ground Floor, Flat" as much as "Ground Floor Flat"), in reading order."""
    out = []
    k = i
    while True:
        while k > 0 and segs[si][k - 1] in FLAT_DESCRIPTORS:
            k -= 1
            out.append((si, k))
        if k > 0 or si == 0:
            break
        si -= 1
        k = len(segs[si])
    return list(reversed(out))


def _drop_dangling_flat_words(segs: list[list[str]]) -> bool:
    """Drop flat words ending a line with no number ("The Flat, 2 High St"): left in, they
    would pair with the next line's number once the lines are joined."""
    changed = False
    for seg in segs:
        while n := _dangling(seg):
            del seg[-n:]
            changed = True
    return changed


def _dangling(tokens: list[str]) -> int:
    """How many tokens at the end are a flat word with no number: "flat", "flat no"."""
    if tokens and tokens[-1] in FLAT_WORDS:
        return 1
    if len(tokens) >= 2 and tokens[-1] in ("no", "number") and tokens[-2] in FLAT_WORDS:
        return 2
    return 0


def _take_postcodes(segs: list[list[str]]) -> list[str]:
    """Remove every postcode from the tokens (one token or outward + inward); return them."""
    found: list[str] = []
    flat = [(si, ti) for si, seg in enumerate(segs) for ti in range(len(seg))]
    drop: set[tuple[int, int]] = set()
    k = 0
    while k < len(flat):
        si, ti = flat[k]
        tok = segs[si][ti]
        if (not tok[:1].isalpha() or tok.isalpha()) and tok != "gir":  # letter first, digits in
            k += 1
            continue
        tok = tok.upper()
        if len(tok) >= 5 and (pc := normalise_postcode(tok)) and "-" not in tok and "/" not in tok:
            found.append(pc)
            drop.add(flat[k])
        elif k + 1 < len(flat) and (_OUTWARD.match(tok) or tok == "GIR"):
            nsi, nti = flat[k + 1]
            nxt = segs[nsi][nti].upper()
            if _INWARD.match(nxt) and _valid_compact(tok + nxt):
                found.append(f"{tok} {nxt}")
                drop.update((flat[k], flat[k + 1]))
                k += 1
        k += 1
    if drop:
        for si, seg in enumerate(segs):
            segs[si] = [t for ti, t in enumerate(seg) if (si, ti) not in drop]
    return found


def _country_tail(tokens: list[str]) -> tuple[int, str] | None:
    """(number of trailing tokens naming a country, its alpha-3) or None."""
    names = country_words()
    for n in range(min(country_words_max(), len(tokens)), 0, -1):
        a3 = names.get(tuple(tokens[-n:]))
        if a3:
            return n, a3
    return None


def _drop_last(segs: list[list[str]], n: int) -> None:
    """Remove the last n tokens, across lines."""
    while n > 0 and segs:
        take = min(n, len(segs[-1]))
        del segs[-1][len(segs[-1]) - take:]
        n -= take
        if not segs[-1]:
            segs.pop()


def _expand(seg: list[str]) -> list[str]:
    out = []
    for i, tok in enumerate(seg):
        if tok == "st":
            lead = all(_NUMBER.match(t) for t in seg[:i])
            nxt = seg[i + 1] if i + 1 < len(seg) else None
            if lead and nxt is not None and nxt not in STREET_WORDS and not _NUMBER.match(nxt):
                out.append("saint")
            else:
                out.append("street")
        else:
            out.append(ABBREVIATIONS.get(tok, tok))
    return out


def _street_end(seg: list[str], start: int) -> int:
    """Index just past the street that starts at `start` in `seg`."""
    last = None
    for i in range(start, len(seg)):
        if seg[i] in STREET_WORDS and i > start:
            last = i
    if last is None:
        return len(seg)
    end = last + 1
    while end < len(seg) and seg[end] in DIRECTIONS:
        end += 1
    return end


def _foreign(raw: str, parts: list[str], postcode: str | None, town: str | None,
             alpha3: str | None) -> Address | None:
    """A non-UK address: its words folded (house ranges like 10-12 and 2/10 kept whole), then
    the postcode and town given apart, then the country by name, so that reading the canonical
    form again finds the same country at its end."""
    words = [t for part in parts for seg in _SEGMENT_SPLIT.split(part) for t in _tokens(seg)]
    tail = _country_tail(words)
    country = (country_name(alpha3) or "").split()
    if tail is not None and tail[1] == alpha3:  # keep the country as written, but last
        country = words[-tail[0]:]
        del words[-tail[0]:]
    for extra in (postcode, town):
        toks = _tokens(extra) if extra else []
        if toks and words[-len(toks):] != toks:
            words += toks
    words += country
    canonical = " ".join(words)
    if not canonical:
        return None
    return Address(raw=raw, canonical=canonical, postcode=None, district=None, sector=None,
                   house_number=None, flat=None, street=None,
                   town=fold(town) or None if isinstance(town, str) else None, uk=False,
                   keys=("raw:" + canonical,))


def _parts(address, lines) -> list[str]:
    if isinstance(address, str) and address.strip():
        return [address]
    if isinstance(lines, (list, tuple)):
        return [x for x in lines[:MAX_LINES] if isinstance(x, str) and x.strip()]
    return []


def normalise_address(address: str | None = None, lines: list[str] | None = None,
                      postcode: str | None = None, town: str | None = None,
                      country: str | None = None) -> Address | None:
    """An address from one line or several, with optional postcode, town and country; None
    when nothing usable was given."""
    return _normalise(address if isinstance(address, str) else None,
                      tuple(x for x in lines if isinstance(x, str))
                      if isinstance(lines, (list, tuple)) else None,
                      postcode if isinstance(postcode, str) else None,
                      town if isinstance(town, str) else None,
                      country if isinstance(country, str) else None)


def _take_fixed_parts(segs: list[list[str]], given_pc: str | None):
    """Take postcodes, the flat and UK country words ending the text out of the tokens,
    repeatedly until none is left (taking one out can bring the words either side of it
    together into another). Returns (segments, flat, postcode)."""
    flat, in_text = None, []
    for _ in range(8):
        found = _take_postcodes(segs)
        in_text += found
        changed = bool(found)
        changed |= _drop_dangling_flat_words(segs)
        if flat is None and (flat := _take_flat(segs)) is not None:
            changed = True
        segs = [seg for seg in segs if seg]
        tail = _country_tail([t for seg in segs[-8:] for t in seg])
        if tail is not None and tail[1] == "GBR":
            _drop_last(segs, tail[0])
            segs = [seg for seg in segs if seg]
            changed = True
        if not changed:
            break
    return segs, flat, given_pc or (in_text[-1] if in_text else None)


def _locate_street(segs: list[list[str]]) -> tuple[str | None, tuple[int, int, int] | None]:
    """(house number, (segment, start, end) of the street): the first number, then the rest of
    its line up to the last street word (plus "north", "upper" ...) or the whole line when it
    has none; a number ending its line takes the next line. Without a number, the first line
    with a street word after its first word."""
    for si, seg in enumerate(segs):
        for ti, tok in enumerate(seg):
            if _NUMBER.match(tok):
                if ti + 1 < len(seg):
                    return tok, (si, ti + 1, _street_end(seg, ti + 1))
                if si + 1 < len(segs):
                    return tok, (si + 1, 0, _street_end(segs[si + 1], 0))
                return tok, None
    for si, seg in enumerate(segs):
        if any(t in STREET_WORDS for t in seg[1:]):
            return None, (si, 0, _street_end(seg, 0))
    return None, None


@lru_cache(maxsize=100_000)
def _normalise(address, lines, postcode, town, country) -> Address | None:
    parts = _parts(address, list(lines) if lines else None)
    extras = [x.strip()[:MAX_LEN] for x in (town, postcode, country) if x and x.strip()]
    raw = ", ".join([p.strip()[:MAX_LEN] for p in parts] + extras)
    if not raw:
        return None
    if country and country.strip():
        a3 = to_alpha3(country)
        if a3 is not None and a3 != "GBR":
            return _foreign(raw, parts, postcode, town, a3)

    segs = _segments(parts)
    town_seg = _tokens(town) if town else []
    if town_seg and town_seg not in segs:  # the town is read as the address's last line
        segs.append(list(town_seg))
    given_pc = normalise_postcode(postcode) if postcode else None
    segs, flat, pc = _take_fixed_parts(segs, given_pc)
    if pc is None and segs:  # a foreign country ending the text, and no UK postcode
        tail = _country_tail([t for seg in segs[-8:] for t in seg])
        if tail is not None and tail[1] != "GBR":
            return _foreign(raw, parts, postcode, town, tail[1])
    segs = [_expand(seg) for seg in segs]

    number, street_at = _locate_street(segs)
    street = None
    town_name = " ".join(_expand(town_seg)) if town_seg else None
    if town_name and _country_tail(town_name.split()) is not None:  # "UK" given as the town
        town_name = None
    after: list[str] = []
    if street_at:
        si, start, end = street_at
        street = " ".join(segs[si][start:end]) or None
        body = [t for seg in segs[:si] for t in seg] + segs[si][:end]
        groups = ([segs[si][end:]] if segs[si][end:] else []) + segs[si + 1:]
        after = [t for g in groups for t in g]
        if not town_name and groups:
            towns = [" ".join(g) for g in groups]
            town_name = ([t for t in towns if t not in COUNTIES] or towns)[-1]
    else:
        body = [t for seg in segs for t in seg]
    if number in body:
        premises = " ".join(body[:body.index(number)]) or None
    elif street:
        premises = " ".join(body[:len(body) - len(street.split())]) or None
    else:
        premises = " ".join(body) or None

    # the lines after the street are left out only beside a postcode and a house number; what
    # then ends the text is read again as the start of this function would
    kept = body if pc and number else body + after
    while kept:
        tail = _country_tail(kept)
        if tail is not None and tail[1] == "GBR":
            del kept[-tail[0]:]
        elif n := _dangling(kept):
            del kept[-n:]
        else:
            break
    words = (["flat", flat] if flat else []) + kept + (pc.lower().split() if pc else [])
    canonical = " ".join(words)
    if not canonical:
        return None

    district = pc.split(" ")[0] if pc else None
    sector = pc[:-2] if pc else None
    keys: set[str] = set()
    if pc and number:
        keys.add(f"pc:{pc}|{number}" + (f"|{flat}" if flat else ""))
        keys.add(f"ps:{sector}|{number}")
        if street:
            keys.add(f"st:{district}|{street}|{number}")
    elif pc and (premises or street):
        keys.add(f"pc:{pc}|{premises or street}" + (f"|{flat}" if flat else ""))
    elif number and street and town_name:
        keys.add(f"tn:{town_name}|{street}|{number}")
    return Address(raw=raw, canonical=canonical, postcode=pc, district=district, sector=sector,
                   house_number=number, flat=flat, street=street, town=town_name or None,
                   uk=True, keys=tuple(sorted(keys)))
