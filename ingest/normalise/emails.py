"""E-mail addresses: trimmed, lower-case, `mailto:` dropped; None when not an address."""

from __future__ import annotations

import re
from functools import lru_cache

_EMAIL = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}$")


@lru_cache(maxsize=100_000)
def normalise_email(text: str | None) -> str | None:
    if not text or not isinstance(text, str):
        return None
    s = text.strip()[:320].lower()
    if s.startswith("mailto:"):
        s = s[7:]
    s = s.strip("<> \t")
    return s if _EMAIL.match(s) else None
