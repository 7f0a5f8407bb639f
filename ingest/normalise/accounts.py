"""Bank accounts: sort code + account number, or an IBAN (mod-97 checked).

A GB IBAN carries the sort code and account number (bank code, then 6 + 8 digits), so its
canonical form is the `sc:` form of the same account: both spellings resolve together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DIGITS = re.compile(r"\D")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


@dataclass(frozen=True, slots=True)
class BankAccount:
    raw: str
    canonical: str
    sort_code: str | None
    account_number: str | None
    iban: str | None
    valid: bool


def iban_valid(iban: str) -> bool:
    if not _IBAN.match(iban):
        return False
    moved = iban[4:] + iban[:4]
    num = "".join(str(int(ch, 36)) for ch in moved)
    return int(num) % 97 == 1


@lru_cache(maxsize=100_000)
def normalise_account(sort_code: str | None = None, account_number: str | None = None,
                      iban: str | None = None) -> BankAccount | None:
    try:
        if iban and isinstance(iban, str):
            ib = re.sub(r"[^A-Z0-9]", "", iban.upper())[:40]
            if ib:
                ok = iban_valid(ib)
                if ok and ib.startswith("GB") and len(ib) == 22:
                    sc, acc = ib[8:14], ib[14:22]
                    return BankAccount(iban, f"sc:{sc}:{acc}", sc, acc, ib, True)
                return BankAccount(iban, f"iban:{ib}", None, None, ib, ok)
        if sort_code or account_number:
            sc = _DIGITS.sub("", str(sort_code or ""))[:12]
            acc = _DIGITS.sub("", str(account_number or ""))[:20]
            if not sc and not acc:
                return None
            ok = len(sc) == 6 and 6 <= len(acc) <= 8
            if ok:
                acc = acc.zfill(8)
            raw = f"{sort_code or ''} {account_number or ''}".strip()
            return BankAccount(raw, f"sc:{sc}:{acc}", sc or None, acc or None, None, ok)
    except (ValueError, TypeError):
        return None
    return None
