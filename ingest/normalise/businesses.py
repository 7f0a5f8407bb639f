"""Business names: legal forms stripped, trading names preferred, spacing-insensitive fingerprint.

"Sparkle Hand Car Wash Ltd", "SPARKLE HANDCARWASH" and "Sparkle Hand Car-Wash Limited" share the
fingerprint `sparklehandcarwash`. Keys: `bf:` + fingerprint, and `bt:` + the first two
significant tokens in sorted order (catches a dropped word: "Golden Dragon" / "Golden Dragon
Takeaway" share `bt:dragon|golden`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalise.names import fold

LEGAL_FORMS = ("limited", "ltd", "llp", "plc", "lp", "inc", "incorporated", "co", "company",
               "corp", "corporation", "cic", "cio", "gmbh", "srl", "sa", "sas", "bv", "sp z o o")
_LEGAL_RE = re.compile(r"(?:\s+(?:and\s+)?(?:" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r"))+$")
_TRADING = re.compile(r"\b(?:t\s*a|trading\s+as|t/a)\b\s+(.*)$")
_STOP = {"the", "and", "of", "uk", "ltd", "limited"}


@dataclass(frozen=True, slots=True)
class BusinessName:
    raw: str
    canonical: str
    fingerprint: str
    tokens: tuple[str, ...]
    legal_form: str | None


@lru_cache(maxsize=200_000)
def normalise_business(name: str | None) -> BusinessName | None:
    if not name or not isinstance(name, str):
        return None
    raw = name.strip()[:300]
    lowered = raw.lower().replace("&", " and ")
    m = re.search(r"\b(?:t/a|trading as)\b\s*(.*)$", lowered)
    if m and m.group(1).strip():
        lowered = m.group(1)
    folded = fold(lowered)
    legal = None
    mm = _LEGAL_RE.search(folded)
    if mm and mm.start() > 0:
        legal = mm.group(0).strip()
        folded = folded[:mm.start()].strip()
    if not folded:
        return None
    tokens = tuple(t for t in folded.split() if t not in _STOP) or tuple(folded.split())
    fingerprint = "".join(tokens)
    return BusinessName(raw=raw, canonical=folded, fingerprint=fingerprint, tokens=tokens,
                        legal_form=legal)


def business_keys(b: BusinessName) -> list[str]:
    keys = [f"bf:{b.fingerprint}"]
    sig = [t for t in b.tokens if len(t) > 2][:2]
    if len(sig) == 2:
        keys.append("bt:" + "|".join(sorted(sig)))
    return keys
