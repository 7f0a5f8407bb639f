"""E-mail addresses: trimmed, lower-cased, `mailto:` and display names stripped, checked.

The whole address is lower-cased (local parts are case-insensitive at every provider that
matters here). Provider tricks (Gmail dots, `+tags`) are kept: they are what was written, and
stripping them would merge addresses their owners keep apart.
"""

from __future__ import annotations

import re

from ingest.normalise.caching import memoise

MAX_LEN = 254

_ANGLE = re.compile(r"<([^<>]*)>")
_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}(?<!\.)"
    r"@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


@memoise(100_000)
def normalise_email(text: str | None) -> str | None:
    """The address in canonical form, or None if the text is not one e-mail address."""
    if not isinstance(text, str):
        return None
    s = text.strip()[: MAX_LEN * 2]
    if m := _ANGLE.search(s):  # "Someone <someone@example.com>"
        s = m.group(1)
    s = s.strip().strip("\"'").strip()
    if s[:7].lower() == "mailto:":
        s = s[7:]
    s = s.split("?", 1)[0].strip().rstrip(".").lower()
    if len(s) > MAX_LEN or not s.isascii():
        return None
    return s if _EMAIL.match(s) else None
