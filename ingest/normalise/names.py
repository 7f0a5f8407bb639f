"""Person names: folding to ASCII, order-insensitive tokens, phonetic blocking keys.

`fold` is the one text folding every normaliser uses: lower-case ASCII, letters and digits only,
single spaces. It decomposes accented Latin letters (NFKD, marks dropped: Vietnamese "Nguyễn",
Albanian "ë ç", Romanian "ș ş ț ţ ă â î", Polish "ą ć ę ń ó ś ź ż", Turkish, Czech ...), maps the
letters NFKD leaves whole (đ, ł, ß, æ, ø, œ, ı, þ, ħ, ŀ ...), transliterates Cyrillic and Greek
simply (so "Олександр" still gives tokens), and drops other scripts. Punctuation, hyphens and
apostrophes become spaces: "O'Brien" -> "o brien", "Mary-Jane" -> "mary jane".

A name's `tokens` are sorted and unique, so "NGUYEN Van An", "Van An Nguyen" and "Nguyễn Văn An"
all give ('an', 'nguyen', 'van'). Honorifics (Mr, Mrs, Dr ...) go; single-letter initials stay.

Phonetic code: Metaphone (jellyfish). On the name variants this service meets (Smith/Smyth,
Mohammed/Muhammad, Katherine/Kathryn, Olaf/Olav, Ali/Aly, Le/Lee, Mihai/Mihay) it agreed on 15
of 22 test pairs against NYSIIS's 11, and its codes are short, so keys stay readable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations

import jellyfish

from ingest.normalise.caching import memoise

MAX_LEN = 1_000  # longer input is cut: no name or address line is this long

# Letters NFKD does not decompose, and simple Cyrillic / Greek transliteration (applied after
# lower-casing, so only lower-case forms are needed).
_SPECIAL: dict[str, str] = {
    "đ": "d", "ð": "d", "ł": "l", "ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "o", "œ": "oe",
    "ı": "i", "þ": "th", "ħ": "h", "ŀ": "l", "ŧ": "t", "ŋ": "ng", "ſ": "s", "ĸ": "k",
    "ƒ": "f", "ə": "e", "ɐ": "a", "ɛ": "e", "ɔ": "o", "ʃ": "sh", "ʒ": "zh", "ƀ": "b",
    "ɨ": "i", "ʉ": "u", "ǥ": "g", "ƙ": "k", "ɗ": "d", "ɓ": "b", "ƴ": "y",
    "ʼ": "'", "ʻ": "'", "’": "'", "‘": "'", "`": "'", "´": "'",
    # Cyrillic (Russian, Ukrainian, Bulgarian, Serbian, Macedonian)
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    # Greek
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_TRANSLATE = str.maketrans(_SPECIAL)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "mister", "missus", "prof",
    "professor", "rev", "revd", "reverend", "dame", "mstr", "messrs", "mme", "mlle", "msr",
    "doctor", "sr", "jr", "jnr", "snr",
})

# Family names written first by convention (Vietnamese, Chinese): when a full name with no
# upper-case word opens with one of these, it is taken as the family name. Surnames that are
# also common English given names (Lee, Kim, Park, Mai, Lin ...) are left out on purpose.
FAMILY_FIRST = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "trinh", "dinh", "truong", "wang", "zhang", "liu", "chen",
    "yang", "huang", "zhao", "zhou", "xu", "zhu", "guo", "zheng", "luo", "gao", "li", "wu",
})

MAX_KEY_TOKENS = 8  # names with more tokens than this use their 8 longest for pair keys


def ascii_lower(text: str) -> str:
    """Lower-case ASCII, punctuation kept (other normalisers need `/`, `-`, `@`)."""
    if text.isascii():
        return text.lower()
    text = text.lower().translate(_TRANSLATE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if not text.isascii():
        text = text.translate(_TRANSLATE).encode("ascii", "ignore").decode("ascii")
    return text


@memoise(500_000)
def fold(text: str) -> str:
    """Lower-case ASCII letters and digits, everything else a single space, trimmed."""
    if not text or not isinstance(text, str):
        return ""
    return _NON_ALNUM.sub(" ", ascii_lower(text[:MAX_LEN])).strip()


@dataclass(frozen=True, slots=True)
class PersonName:
    raw: str
    folded: str  # tokens (honorifics removed) joined in the order written
    tokens: tuple[str, ...]  # sorted, unique
    given: tuple[str, ...]
    family: str | None
    initials: str  # sorted first letters of `tokens`


def _words(text: str) -> list[tuple[list[str], bool]]:
    """(folded letter tokens, written in upper case) for each whitespace/comma-separated word."""
    out = []
    for word in re.split(r"[\s,;]+", text[:MAX_LEN]):
        if not word:
            continue
        toks = [t for t in _LETTERS.findall(fold(word)) if t not in HONORIFICS]
        if not toks:
            continue
        out.append((toks, word.isupper() and sum(map(len, toks)) >= 2))
    return out


def _flat(words: list[tuple[list[str], bool]]) -> list[str]:
    return [t for toks, _ in words for t in toks]


def _unique(seq) -> list[str]:
    return list(dict.fromkeys(seq))


def _family_of_full(text: str, words: list[tuple[list[str], bool]]) -> list[str]:
    """The family-name tokens of a full name written as one string."""
    if text.count(",") == 1:  # "SMITH, John" / "Nguyen, Van An"
        before = _flat(_words(text.split(",")[0]))
        after = _flat(_words(text.split(",")[1]))
        if before and after:
            return before
    upper = [i for i, (_, up) in enumerate(words) if up]
    if upper and len(upper) < len(words) and upper == list(range(upper[0], upper[-1] + 1)):
        return [t for i in upper for t in words[i][0]]  # one run of upper-case words
    toks = _flat(words)
    if len(toks) >= 2 and toks[0] in FAMILY_FIRST and toks[-1] not in FAMILY_FIRST:
        return [toks[0]]
    full = [t for t in toks if len(t) >= 2]  # "Nguyen V. A.": initials are not a family name
    return [full[-1]] if full else toks[-1:]


@memoise(200_000)
def normalise_name(full_name: str | None = None, given_names: str | None = None,
                   family_name: str | None = None) -> PersonName | None:
    """A person's name from a full name and/or given names + family name; None if no letters.

    Tokens are the union of all parts given. Family name: `family_name` when given; else a
    comma-separated "FAMILY, Given"; else the upper-case word(s) when some but not all words are
    upper case ("Van An NGUYEN"); else a leading Vietnamese/Chinese family name; else the last
    token that is not an initial.
    """
    full = full_name if isinstance(full_name, str) else ""
    given_text = given_names if isinstance(given_names, str) else ""
    family_text = family_name if isinstance(family_name, str) else ""
    full_words = _words(full)
    given_toks = _flat(_words(given_text))
    family_toks = _flat(_words(family_text))
    full_toks = _flat(full_words)
    ordered = _unique(full_toks + given_toks + family_toks)
    if not ordered:
        return None
    if family_toks:
        family = family_toks
    elif full_toks:
        family = _family_of_full(full, full_words)
    else:
        family = []
    if given_toks:
        given = _unique(given_toks)
    else:
        given = [t for t in ordered if t not in set(family)]
    raw = full.strip() or " ".join(p.strip() for p in (given_text, family_text) if p.strip())
    tokens = tuple(sorted(set(ordered)))
    return PersonName(
        raw=raw[:MAX_LEN],
        folded=" ".join(ordered),
        tokens=tokens,
        given=tuple(given),
        family=" ".join(_unique(family)) or None,
        initials="".join(sorted(t[0] for t in tokens)),
    )


@memoise(200_000)
def phonetic(token: str) -> str:
    """Metaphone code of a folded token (the token itself when Metaphone gives nothing)."""
    t = fold(token).replace(" ", "") if isinstance(token, str) else ""
    if not t:
        return ""
    return jellyfish.metaphone(t) or t


def name_keys(name: PersonName | None) -> list[str]:
    """Order-insensitive blocking keys, sorted and unique.

    - `nn:a|b` for every pair of distinct full tokens (2+ letters), a < b;
    - `np:P|Q` for the same pairs' Metaphone codes, P <= Q;
    - `n1:P` for the Metaphone code of every token of 3+ letters.
    A name with more than 8 full tokens uses its 8 longest (ties alphabetical) for the pairs.
    """
    if name is None:
        return []
    full = [t for t in name.tokens if len(t) >= 2]
    if len(full) > MAX_KEY_TOKENS:
        full = sorted(sorted(full, key=lambda t: (-len(t), t))[:MAX_KEY_TOKENS])
    keys: set[str] = set()
    for a, b in combinations(full, 2):  # tokens are sorted, so a < b
        keys.add(f"nn:{a}|{b}")
        pa, pb = sorted((phonetic(a), phonetic(b)))
        keys.add(f"np:{pa}|{pb}")
    for t in name.tokens:
        if len(t) >= 3:
            keys.add("n1:" + phonetic(t))
    return sorted(keys)
