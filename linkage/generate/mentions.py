"""How one true thing is written in one report: name order, diacritics kept or stripped, initials,
one-letter typos, dates of birth in any accepted format or only an age, phone formats, address
layouts, business-name variants, registration marks with or without a space.

Every function takes the world's random stream and returns plain JSON values; none of them
decides *what* a report says, only how it is spelt.
"""

from __future__ import annotations

import random
from datetime import date

from linkage.generate.cast import TrueAccount, TrueLocation, TruePerson, TrueVehicle
from linkage.generate.sampling import pick

TYPO_RATE = 0.05
TYPO_MIN_LENGTH = 5
_LETTERS = "aeiounrstlhcdmgby"


def typo(word: str, rng: random.Random) -> str:
    """One edit (substitute, delete, insert or swap) inside a word, never its first letter."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        c = pick(rng, _LETTERS)
        if c == word[i]:
            c = "x"
        return word[:i] + c + word[i + 1:]
    if op == 1:
        return word[:i] + word[i + 1:]
    if op == 2:
        return word[:i] + pick(rng, _LETTERS) + word[i:]
    if word[i] == word[i + 1]:
        return word[:i] + "x" + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _with_typo(given: str, family: str, rng: random.Random) -> tuple[str, str]:
    words = [(0, w) for w in given.split() if len(w) >= TYPO_MIN_LENGTH]
    words += [(1, w) for w in family.split() if len(w) >= TYPO_MIN_LENGTH]
    if not words:
        return given, family
    which, word = pick(rng, words)
    changed = typo(word, rng)
    if which == 0:
        return given.replace(word, changed, 1), family
    return given, family.replace(word, changed, 1)


def _initials(given: str) -> str:
    return " ".join(f"{w[0]}." for w in given.split())


def name_fields(p: TruePerson, rng: random.Random, out: dict) -> dict:
    """Add the name fields of one mention of a person to `out` and return it."""
    r = rng.random
    if r() < 0.5:
        given, family = p.given_ascii, p.family_ascii
    else:
        given, family = p.given, p.family
    if r() < TYPO_RATE:
        given, family = _with_typo(given, family, rng)
    if p.aliases and r() < 0.03:
        # Known by a nickname, with the real name given as an alias.
        out["full_name"] = p.aliases[0]
        out["aliases"] = [f"{given} {family}"]
        return out
    x = r()
    if x < 0.3:
        out["given_names"] = given
        out["family_name"] = family.upper() if r() < 0.25 else family
    elif x < 0.62:
        out["full_name"] = f"{family} {given}" if p.pop.family_first else f"{given} {family}"
    elif x < 0.77:
        out["full_name"] = f"{given} {family}" if p.pop.family_first else f"{family} {given}"
    elif x < 0.92:
        out["full_name"] = f"{family.upper()} {given}" if r() < 0.6 else f"{given} {family.upper()}"
    else:
        out["full_name"] = f"{family} {_initials(given)}"
    if p.aliases and r() < 0.3:
        out["aliases"] = list(p.aliases)
    return out


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def dob_field(p: TruePerson, rng: random.Random, on: date) -> tuple[str, object] | None:
    """('dob', '1990-04-12' | '12/04/1990' | '1990-04' | '1990') or ('age', 33) or None."""
    x = rng.random()
    born = p.dob
    if p.year_only:
        if x < 0.5:
            return "dob", f"{born.year}"
        if x < 0.85:
            age = age_on(born, on)
            guess = age + (pick(rng, (-1, 1)) if rng.random() < 0.3 else 0)
            return "age", guess if (guess >= 18) == (age >= 18) else age  # an estimate
        return None
    if x < 0.38:
        return "dob", born.isoformat()
    if x < 0.68:
        return "dob", f"{born.day:02d}/{born.month:02d}/{born.year}"
    if x < 0.73:
        return "dob", f"{born.year}-{born.month:02d}"
    if x < 0.78:
        return "dob", f"{born.year}"
    if x < 0.9:
        return "age", age_on(born, on)
    return None


def nationality(p: TruePerson, rng: random.Random) -> str:
    renderings = p.pop.renderings
    x = rng.random()
    if x < 0.5:
        return renderings[0]
    if x < 0.75:
        return renderings[1]
    return renderings[-1] if x < 0.88 else renderings[-2]


def phone_text(e164: str, rng: random.Random) -> str:
    """'+447700900123' -> '07700 900123' | '+44 7700 900123' | '07700900123' | '+447700900123'."""
    x = rng.random()
    if e164.startswith("+44"):
        national = e164[3:]
        if x < 0.4:
            return f"0{national[:4]} {national[4:]}"
        if x < 0.6:
            return f"+44 {national[:4]} {national[4:]}"
        if x < 0.85:
            return f"0{national}"
        return e164
    if x < 0.5:
        return e164
    cc_len = 2 if e164[1:3] in ("40", "84") else 3
    cc, national = e164[1:1 + cc_len], e164[1 + cc_len:]
    return f"+{cc} {national[:3]} {national[3:6]} {national[6:]}"


def email_text(email: str, rng: random.Random) -> str:
    if rng.random() < 0.1:
        local, _, domain = email.partition("@")
        return f"{local.capitalize()}@{domain.upper() if rng.random() < 0.5 else domain}"
    return email


def postcode_text(postcode: str, rng: random.Random) -> str:
    x = rng.random()
    if x < 0.86:
        return postcode
    if x < 0.93:
        return postcode.replace(" ", "")
    return postcode.lower()


def location_fields(loc: TrueLocation, rng: random.Random, out: dict, use: str | None,
                    business_name: str | None = None) -> dict:
    """Fill `out` with the address fields of one location mention and return it."""
    r = rng.random
    lines_ = loc.lines
    line = lines_[int(r() * len(lines_))]
    with_town = r() < 0.6
    x = r()
    postcode = postcode_text(loc.postcode, rng)
    if x < 0.55:
        out["address"] = f"{line}, {loc.district.town}" if with_town else line
        out["postcode"] = postcode
    elif x < 0.85:
        flat = loc.flat
        if flat and flat in line and r() < 0.5:
            lines = [flat, line.replace(f"{flat}, ", "").replace(f" {flat}", "")]
        else:
            lines = [line]
        if with_town:
            lines.append(loc.district.town)
        out["lines"] = lines
        out["postcode"] = postcode
    elif x < 0.95:
        # postcode written inside the one-line address only
        out["address"] = (f"{line}, {loc.district.town} {postcode}" if with_town
                          else f"{line} {postcode}")
    else:
        # no postcode at all: street and town only
        out["address"] = f"{line}, {loc.district.town}"
    if with_town and r() < 0.5:
        out["town"] = loc.district.town
    if loc.venue_type and r() < 0.7:
        out["venue_type"] = loc.venue_type
    if business_name:
        out["business_name"] = business_name
    if r() < 0.2:
        out["lat"] = loc.lat
        out["lon"] = loc.lon
    if use:
        out["use"] = use
    return out


def vrm_text(vrm: str, rng: random.Random) -> str:
    x = rng.random()
    spaced = f"{vrm[:4]} {vrm[4:]}"
    if x < 0.55:
        return spaced
    if x < 0.85:
        return vrm
    return spaced.lower() if x < 0.93 else vrm.lower()


def vehicle_fields(v: TrueVehicle, rng: random.Random) -> dict:
    r = rng.random
    out = {"vrm": vrm_text(v.vrm, rng)}
    if r() < 0.75:
        out["make"] = v.make
    if r() < 0.6:
        out["model"] = v.model
    if r() < 0.6:
        out["colour"] = v.colour if r() < 0.8 else v.colour.upper()
    return out


def account_fields(a: TrueAccount, rng: random.Random) -> dict:
    r = rng.random
    out: dict = {}
    x = r()
    if a.iban_known and x < 0.3:
        out["iban"] = a.iban if r() < 0.6 else " ".join(a.iban[i:i + 4] for i in range(0, 22, 4))
    else:
        y = r()
        out["sort_code"] = (a.sort_code if y < 0.6 else a.sort_code.replace("-", "") if y < 0.85
                            else a.sort_code.replace("-", " "))
        out["account_number"] = a.number
        if a.iban_known and x < 0.45:
            out["iban"] = a.iban
    if r() < 0.6:
        out["bank"] = a.bank
    return out
