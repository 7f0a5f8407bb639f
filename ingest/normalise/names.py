"""Person names: folding, order-insensitive tokens, phonetic blocking keys.

Folding maps Vietnamese, Albanian, Romanian, Polish, Turkish, Czech and other Latin-script
diacritics to ASCII (NFKD, plus the letters NFKD leaves whole: đ, ł, ß, æ, ø, œ, ı, þ, ħ).
Phonetic keys use NYSIIS (jellyfish): it keeps more of a name than Soundex, so blocks stay small.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import jellyfish

_SPECIAL = str.maketrans({
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE",
    "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "TH", "ħ": "h",
    "Ħ": "H", "ŀ": "l", "Ŀ": "L", "ð": "d", "Ð": "D", "ŋ": "n", "Ŋ": "N", "ſ": "s",
    "ĸ": "k", "ƒ": "f", "ɐ": "a", "ə": "e", "Ə": "E",
})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "mister", "prof", "professor",
    "rev", "lady", "lord", "dame", "master", "mstr", "md",
})

MAX_LEN = 500

# Family names written first by convention (Vietnamese, Chinese, Korean): when a full name opens
# with one of these, it is the family name. Only used to pick `family`; tokens are order-free.
FAMILY_FIRST = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "trinh", "dinh", "lam", "mai", "truong", "wang", "li", "zhang",
    "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo",
    "lin", "he", "gao", "luo", "zheng", "kim", "lee", "park", "choi", "jung",
})


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Lower-case ASCII with punctuation turned into spaces and whitespace collapsed."""
    if not text:
        return ""
    text = text[:MAX_LEN].translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_SPECIAL).lower()
    return _NON_ALNUM.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class PersonName:
    raw: str
    folded: str
    tokens: tuple[str, ...]
    given: tuple[str, ...]
    family: str | None
    initials: str


def _tokens(text: str) -> list[str]:
    return [t for t in fold(text).split() if t not in HONORIFICS]


def _upper_family(full: str) -> str | None:
    """"Van An NGUYEN": the one word written in capitals is the family name."""
    words = [w for w in re.split(r"[\s,]+", full) if w]
    caps = [w for w in words if len(w) > 1 and w.isupper() and any(c.isalpha() for c in w)]
    if len(caps) == 1 and len(words) > 1:
        toks = _tokens(caps[0])
        return toks[0] if toks else None
    return None


@lru_cache(maxsize=300_000)
def _normalise(full_name: str | None, given_names: str | None, family_name: str | None) -> PersonName | None:
    family = None
    if family_name or given_names:
        fam_t = _tokens(family_name or "")
        giv_t = _tokens(given_names or "")
        toks = giv_t + fam_t
        family = fam_t[-1] if fam_t else None
        given = tuple(giv_t)
        raw = " ".join(x for x in (given_names, family_name) if x)
    else:
        raw = full_name or ""
        toks = _tokens(raw)
        if "," in raw:  # "NGUYEN, Van An": family first
            before = _tokens(raw.split(",", 1)[0])
            family = before[-1] if before else None
        family = family or _upper_family(raw)
        if family is None and toks:
            family = toks[0] if toks[0] in FAMILY_FIRST and len(toks) > 1 else toks[-1]
        given = tuple(t for t in toks if t != family)
    if not toks:
        return None
    folded = " ".join(toks)
    tokens = tuple(sorted(set(toks)))
    initials = "".join(sorted(t[0] for t in tokens))
    return PersonName(raw=raw.strip(), folded=folded, tokens=tokens, given=given, family=family,
                      initials=initials)


def normalise_name(full_name: str | None = None, given_names: str | None = None,
                   family_name: str | None = None) -> PersonName | None:
    try:
        return _normalise(full_name, given_names, family_name)
    except Exception:  # noqa: BLE001 - a normaliser never raises on input
        return None


@lru_cache(maxsize=300_000)
def phonetic(token: str) -> str:
    if not token:
        return ""
    if not token.isalpha():
        return token
    try:
        return jellyfish.nysiis(token) or token
    except Exception:  # noqa: BLE001
        return token


def name_keys(name: PersonName) -> list[str]:
    """Order-insensitive blocking keys: token pairs, phonetic pairs, single phonetic tokens."""
    full = [t for t in name.tokens if len(t) >= 2]
    keys = set()
    for a, b in combinations(full, 2):
        keys.add(f"nn:{a}|{b}")
        pa, pb = sorted((phonetic(a), phonetic(b)))
        keys.add(f"np:{pa}|{pb}")
    for t in full:
        if len(t) >= 3:
            keys.add(f"n1:{phonetic(t)}")
    return sorted(keys)
