"""Dates of birth and report dates.

Partial dates stay partial (a year, a year and month); DD/MM/YYYY that would also read as a
valid, different MM/DD/YYYY keeps both readings, UK order first. An age becomes a birth-year
range relative to the report date: someone aged N on date D was born in D.year-N-1 or D.year-N.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else ("month" if self.month else "year")

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


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


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


def _year_ok(y: int) -> bool:
    return 1900 <= y <= date.today().year


@lru_cache(maxsize=200_000)
def parse_dob(text: str | None) -> BirthDate | None:
    if not text or not isinstance(text, str):
        return None
    s = text.strip()[:40]
    try:
        cands: list[PartialDate] = []
        if m := _ISO.match(s) or _COMPACT.match(s):
            y, mo, d = map(int, m.groups())
            if _valid(y, mo, d):
                cands = [PartialDate(y, mo, d)]
        elif m := _DMY.match(s):
            d, mo, y = map(int, m.groups())
            if _valid(y, mo, d):
                cands.append(PartialDate(y, mo, d))
            if d != mo and _valid(y, d, mo):
                cands.append(PartialDate(y, d, mo))
        elif m := _ISO_MONTH.match(s):
            y, mo = map(int, m.groups())
            if 1 <= mo <= 12:
                cands = [PartialDate(y, mo)]
        elif m := _YEAR.match(s):
            cands = [PartialDate(int(m.group(1)))]
        cands = [c for c in cands if _year_ok(c.year)]
        if not cands:
            return None
        if cands[0].day and date(cands[0].year, cands[0].month, cands[0].day) > date.today():
            return None
        ys = [c.year for c in cands]
        return BirthDate(raw=text, candidates=tuple(cands), year_min=min(ys), year_max=max(ys))
    except (ValueError, TypeError):
        return None


def birth_years_from_age(age: int, on: date) -> BirthDate:
    """Aged `age` on `on`: born in on.year-age-1 (birthday still to come) or on.year-age."""
    age = max(0, min(int(age), 120))
    return BirthDate(raw=f"age {age}", candidates=(), year_min=on.year - age - 1,
                     year_max=on.year - age, estimated=True)


def parse_date(text: str | None) -> date | None:
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    if isinstance(text, datetime):
        return text.date()
    if not text or not isinstance(text, str):
        return None
    s = text.strip()[:40]
    try:
        if len(s) >= 10 and s[4] == "-":
            return date.fromisoformat(s[:10])
        if m := _DMY.match(s):
            d, mo, y = map(int, m.groups())
            return date(y, mo, d)
    except ValueError:
        return None
    return None


def parse_datetime(text: str | None) -> datetime | None:
    """ISO 8601 to naive UTC (stores get naive UTC; an offset is applied, not dropped)."""
    if isinstance(text, datetime):
        dt = text
    elif not text or not isinstance(text, str):
        return None
    else:
        s = text.strip()[:64].replace("Z", "+00:00")
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            d = parse_date(s)
            return datetime(d.year, d.month, d.day) if d else None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt
