"""Business names: legal form stripped, trading name preferred, a spacing-proof fingerprint.

- `canonical`: folded, "&" read as "and", the legal form at the end stripped (Ltd, Limited, LLP,
  plc, Co, Company, & Co, Inc, Corp, LLC, GmbH ...). A trading name wins: "ABC Ltd t/a Sparkle
  Hand Car Wash" -> "sparkle hand car wash" (after the last "t/a", "trading as" or "d/b/a").
- `fingerprint`: the canonical tokens without "and"/"the"/"of", all spaces removed, so "Sparkle
  Hand Car Wash Ltd" and "Sparkle Handcarwash" share "sparklehandcarwash".
- `tokens`: the canonical tokens minus those stop words, sorted and unique.
- `legal_form`: what was stripped, normalised ("ltd", "plc", "llp", "co ltd" ...), or None.

`business_keys`: "bf:" + fingerprint, and "bt:" + the first two (alphabetically) significant
tokens joined by "|" (significant: 3+ letters and not a trade word such as car, wash, nails,
services, uk). Two names sharing their distinctive words meet on "bt:" even when one has extra
trade words ("Sparkle Valeting" / "Sparkle Hand Car Wash" both give "bt:sparkle").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalise.caching import memoise
from ingest.normalise.names import ascii_lower, fold

MAX_LEN = 300

LEGAL_FORMS = {
    "ltd": "ltd", "limited": "ltd", "llp": "llp", "plc": "plc", "co": "co", "company": "co",
    "inc": "inc", "incorporated": "inc", "corp": "corp", "corporation": "corp", "llc": "llc",
    "lp": "lp", "gmbh": "gmbh", "cic": "cic", "srl": "srl", "sro": "sro", "bv": "bv",
    "pty": "pty", "ag": "ag",
}
# multi-word legal forms, folded, longest first
LEGAL_PHRASES = (
    ("public limited company", "plc"), ("limited liability partnership", "llp"),
    ("limited liability company", "llc"), ("community interest company", "cic"),
    ("sp z o o", "sp z o o"), ("s r l", "srl"), ("s r o", "sro"), ("l t d", "ltd"),
    ("p l c", "plc"), ("l l p", "llp"),
)
STOP_WORDS = frozenset({"and", "the", "of"})
TRADE_WORDS = frozenset({
    "car", "cars", "wash", "washes", "hand", "valet", "valeting", "valeters", "nail", "nails",
    "bar", "beauty", "salon", "spa", "massage", "parlour", "hair", "barber", "barbers", "cafe",
    "restaurant", "takeaway", "kebab", "pizza", "food", "foods", "services", "service",
    "solutions", "group", "holdings", "international", "enterprises", "enterprise", "trading",
    "traders", "uk", "gb", "london", "construction", "builders", "building", "recruitment",
    "agency", "staffing", "cleaning", "cleaners", "logistics", "transport", "farm", "farms",
    "factory", "warehouse", "hotel", "shop", "store", "stores", "mini", "market", "supermarket",
    "express", "centre", "center", "studio", "garage", "motors", "autos", "auto", "tyres",
    "tyre", "care", "home", "homes", "new", "best", "top", "star", "royal", "city", "the",
})

_TRADING_AS = re.compile(r"\bt\s*/\s*a\b|\bd\s*/\s*b\s*/\s*a\b|\btrading\s+as\b|\bt\.\s*a\.",
                         re.I)


@dataclass(frozen=True, slots=True)
class BusinessName:
    raw: str
    canonical: str
    fingerprint: str
    tokens: tuple[str, ...]
    legal_form: str | None


def _strip_legal(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal-form words from the end; (remaining tokens, forms removed in text order)."""
    forms: list[str] = []
    changed = True
    while changed and tokens:
        changed = False
        for phrase, form in LEGAL_PHRASES:
            words = phrase.split()
            if len(tokens) > len(words) and tokens[-len(words):] == words:
                tokens, changed = tokens[:-len(words)], True
                forms.insert(0, form)
                break
        if not changed and len(tokens) > 1 and tokens[-1] in LEGAL_FORMS:
            forms.insert(0, LEGAL_FORMS[tokens[-1]])
            tokens, changed = tokens[:-1], True
        if forms and len(tokens) > 1 and tokens[-1] == "and":  # "Smith & Co" -> "smith"
            tokens, changed = tokens[:-1], True
    return tokens, forms


@memoise(100_000)
def normalise_business(name: str | None) -> BusinessName | None:
    """A business name; None when it has no letter or digit."""
    if not isinstance(name, str):
        return None
    raw = name.strip()[:MAX_LEN]
    text = ascii_lower(raw).replace("&", " and ").replace("+", " and ")
    # the trading name: the last part after "t/a" / "trading as" that has any words
    chosen = next((f for f in map(fold, reversed(_TRADING_AS.split(text))) if f), "")
    if not chosen:
        return None
    tokens, forms = _strip_legal(chosen.split())
    canonical = " ".join(tokens)
    significant = [t for t in tokens if t not in STOP_WORDS] or tokens
    return BusinessName(
        raw=raw,
        canonical=canonical,
        fingerprint="".join(significant),
        tokens=tuple(sorted(set(significant))),
        legal_form=" ".join(forms) or None,
    )


def business_keys(b: BusinessName | None) -> list[str]:
    """Blocking keys: "bf:<fingerprint>" and "bt:<first two significant tokens>", sorted."""
    if b is None or not b.fingerprint:
        return []
    keys = {"bf:" + b.fingerprint}
    significant = sorted(t for t in b.tokens if len(t) >= 3 and t not in TRADE_WORDS
                         and not t.isdigit())
    if significant:
        keys.add("bt:" + "|".join(significant[:2]))
    return sorted(keys)
