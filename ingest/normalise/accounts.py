"""Bank accounts: UK sort code + account number, or an IBAN checked by mod-97.

Canonical forms: "sc:112233:12345678" and "iban:DE89370400440532013000". A GB IBAN carries the
sort code and account number (GBkk BBBB SSSSSS AAAAAAAA), so its canonical form is the `sc:`
form: the same account given either way resolves to one value. A valid IBAN wins over a sort
code and number given beside it (the IBAN has a check).

Account numbers of 6 or 7 digits are left-padded to 8 (how UK banks quote the short numbers of
some older accounts); other lengths are kept with `valid` False. An account number without a
sort code gives "acct:<digits>", `valid` False (too weak to merge on alone but worth keeping). A
sort code alone is no account: None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalise.caching import memoise

MAX_LEN = 64
_NON_DIGIT = re.compile(r"[^0-9]+")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")

# Registered IBAN lengths (SWIFT IBAN registry) for the countries likely to appear.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


@dataclass(frozen=True, slots=True)
class BankAccount:
    raw: str
    canonical: str
    sort_code: str | None
    account_number: str | None
    iban: str | None
    valid: bool


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616 mod-97: move the first four characters to the end, letters to 10..35."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _iban(text: str) -> tuple[str, bool] | None:
    s = _NON_ALNUM.sub("", text.upper()[:MAX_LEN])
    if s.startswith("IBAN"):
        s = s[4:]
    if not _IBAN_SHAPE.match(s):
        return None
    length = IBAN_LENGTHS.get(s[:2])
    ok = (length is None or len(s) == length) and iban_checksum_ok(s)
    return s, ok


def _digits(text: str | None) -> str:
    return _NON_DIGIT.sub("", text[:MAX_LEN]) if isinstance(text, str) else ""


@memoise(100_000)
def normalise_account(sort_code: str | None = None, account_number: str | None = None,
                      iban: str | None = None) -> BankAccount | None:
    """An account from a sort code + number and/or an IBAN; None when nothing identifies one."""
    raw = " ".join(x.strip()[:MAX_LEN] for x in (sort_code, account_number, iban)
                   if isinstance(x, str) and x.strip())
    sc, acct = _digits(sort_code), _digits(account_number)
    if 6 <= len(acct) < 8:
        acct = acct.zfill(8)
    parsed = _iban(iban) if isinstance(iban, str) and iban.strip() else None
    if parsed and parsed[1]:
        code, _ = parsed
        if code.startswith("GB") and code[8:].isdigit():
            sc, acct = code[8:14], code[14:]
            return BankAccount(raw, f"sc:{sc}:{acct}", sc, acct, code, True)
        return BankAccount(raw, f"iban:{code}", None, None, code, True)
    if len(sc) == 6 and acct:
        ok = len(acct) == 8
        return BankAccount(raw, f"sc:{sc}:{acct}", sc, acct, None, ok)
    if parsed:  # an IBAN that fails its check: kept, flagged
        return BankAccount(raw, f"iban:{parsed[0]}", None, None, parsed[0], False)
    if acct:
        return BankAccount(raw, f"acct:{acct}", sc if len(sc) == 6 else None, acct, None, False)
    return None
