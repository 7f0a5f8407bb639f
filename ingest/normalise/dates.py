"""Dates of birth (partial, ambiguous, estimated from an age), report dates and timestamps.

Dates of birth keep what the source knew: a year, a month or a day (`PartialDate`). A written
date that reads two ways keeps both: UK order (DD/MM) first, US order (MM/DD) second, but only
when both readings are real dates and differ ("03/04/1990"). A date valid only in US order
("04/13/1990") is read that way. Two-digit years are refused (1990 or 2090?), as are dates before
1900 or in the future, and impossible dates (31/02/1990).

An age gives a range of years, not a date: someone aged N on date D was born in D.year-N-1 (if
their birthday is still to come that year) or D.year-N. `birth_years_from_age` returns that range
with `estimated=True` and no candidates (a year-only candidate would claim a precision the age
does not have).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from ingest.normalise.caching import memoise

MIN_YEAR = 1900
MAX_AGE = 130

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.,+\-Z ]*)?$", re.I)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SEP = r"[ \-/.]"
_D_MON_Y = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?{_SEP}*({_MONTH_RE})\.?,?{_SEP}*(\d{{4}})$", re.I)
_MON_D_Y = re.compile(rf"^({_MONTH_RE})\.?{_SEP}*(\d{{1,2}})(?:st|nd|rd|th)?,?{_SEP}+(\d{{4}})$", re.I)
_MON_Y = re.compile(rf"^({_MONTH_RE})\.?,?[ \-/.]*(\d{{4}})$", re.I)
_DMY_TIME = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[T ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class BirthDate:
    raw: str
    candidates: tuple[PartialDate, ...]
    year_min: int
    year_max: int
    estimated: bool = False

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.year_min, self.year_max + 1))

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _clean(text) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(text[:64].split())


def _real(y: int, m: int | None, d: int | None) -> PartialDate | None:
    """The partial date if it exists (and, for births, is not in the future)."""
    today = date.today()
    if not MIN_YEAR <= y <= today.year:
        return None
    if m is None:
        return PartialDate(y)
    if not 1 <= m <= 12 or (y, m) > (today.year, today.month):
        return None
    if d is None:
        return PartialDate(y, m)
    try:
        if date(y, m, d) > today:
            return None
    except ValueError:
        return None
    return PartialDate(y, m, d)


def _month(name: str) -> int:
    return _MONTHS[name.lower()]


def _dob_candidates(s: str) -> tuple[PartialDate, ...]:
    if m := _ISO.match(s):
        c = _real(int(m[1]), int(m[2]), int(m[3]))
        return (c,) if c else ()
    if m := _COMPACT.match(s):
        c = _real(int(m[1]), int(m[2]), int(m[3]))
        return (c,) if c else ()
    if m := _DMY.match(s):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        uk, us = _real(y, b, a), _real(y, a, b)
        if uk and us and uk != us:
            return (uk, us)
        return (uk,) if uk else ((us,) if us else ())
    if m := _YM.match(s):
        c = _real(int(m[1]), int(m[2]), None)
        return (c,) if c else ()
    if m := _MY.match(s):
        c = _real(int(m[2]), int(m[1]), None)
        return (c,) if c else ()
    if m := _Y.match(s):
        c = _real(int(m[1]), None, None)
        return (c,) if c else ()
    if m := _D_MON_Y.match(s):
        c = _real(int(m[3]), _month(m[2]), int(m[1]))
        return (c,) if c else ()
    if m := _MON_D_Y.match(s):
        c = _real(int(m[3]), _month(m[1]), int(m[2]))
        return (c,) if c else ()
    if m := _MON_Y.match(s):
        c = _real(int(m[2]), _month(m[1]), None)
        return (c,) if c else ()
    return ()


@memoise(100_000)
def parse_dob(text: str | None) -> BirthDate | None:
    """A date of birth: `YYYY-MM-DD`, `DD/MM/YYYY` (or `-`, `.`; `D/M/YYYY`), `YYYY-MM`,
    `MM/YYYY`, `YYYY`, `YYYYMMDD`, "17 May 1990", "May 1990"; None if not one of these."""
    s = _clean(text)
    if not s:
        return None
    cands = _dob_candidates(s)
    if not cands:
        return None
    years = [c.year for c in cands]
    return BirthDate(raw=s, candidates=cands, year_min=min(years), year_max=max(years))


def birth_years_from_age(age: int, on: date) -> BirthDate:
    """Birth years of someone aged `age` on `on`: on.year-age-1 .. on.year-age, estimated.

    No candidates (the age fixes no month or day). Ages are clamped to 0..130.
    """
    try:
        n = min(max(int(age), 0), MAX_AGE)
    except (TypeError, ValueError):
        n = 0
    when = on if isinstance(on, date) else date.today()
    return BirthDate(raw=f"age {n} on {when.isoformat()[:10]}", candidates=(),
                     year_min=when.year - n - 1, year_max=when.year - n, estimated=True)


@memoise(50_000)
def parse_date(text: str | None) -> date | None:
    """A report date: ISO `YYYY-MM-DD` (a timestamp's date part too), `DD/MM/YYYY` (or `-`, `.`),
    `YYYYMMDD` or "17 May 2024". UK order only: 03/04/2024 is 3 April. None if not a date."""
    s = _clean(text)
    if not s:
        return None
    y = mo = d = None
    if m := _ISO.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.match(s):
        y, mo, d = int(m[3]), int(m[2]), int(m[1])
    elif m := _COMPACT.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _D_MON_Y.match(s):
        y, mo, d = int(m[3]), _month(m[2]), int(m[1])
    elif m := _MON_D_Y.match(s):
        y, mo, d = int(m[3]), _month(m[1]), int(m[2])
    elif m := _DMY_TIME.match(s):
        y, mo, d = int(m[3]), int(m[2]), int(m[1])
    if y is None or y < MIN_YEAR:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


@memoise(50_000)
def parse_datetime(text: str | None) -> datetime | None:
    """A timestamp: ISO 8601 (`Z` or an offset converted to UTC, returned naive), a date alone
    (midnight) or `DD/MM/YYYY HH:MM[:SS]` (taken as UTC). None if not a timestamp."""
    s = _clean(text)
    if not s:
        return None
    iso = s[:-1] + "+00:00" if s[-1:] in ("Z", "z") else s
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        dt = None
    if dt is None:
        if m := _DMY_TIME.match(s):
            try:
                dt = datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]),
                              int(m[6] or 0))
            except ValueError:
                return None
        else:
            d = parse_date(s)
            if d is None:
                return None
            dt = datetime(d.year, d.month, d.day)
    if dt.year < MIN_YEAR:
        return None
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return None
    return dt
