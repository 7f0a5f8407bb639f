"""Dates of birth, ages, report dates and timestamps."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings, strategies as st

from ingest.normalise import BirthDate, PartialDate, birth_years_from_age, parse_date, parse_datetime, parse_dob

FAST = settings(max_examples=200, deadline=None)


def _isos(text):
    return [c.iso() for c in parse_dob(text).candidates]


def test_the_accepted_forms_of_a_date_of_birth():
    assert _isos("1990-05-17") == ["1990-05-17"]
    assert _isos("17/05/1990") == ["1990-05-17"]
    assert _isos("17-05-1990") == _isos("17.05.1990") == ["1990-05-17"]
    assert _isos("7/5/1990") == ["1990-05-07", "1990-07-05"]
    assert _isos("19900517") == ["1990-05-17"]
    assert _isos("1990-05") == ["1990-05"]
    assert _isos("1990") == ["1990"]
    assert _isos("17 May 1990") == _isos("May 17, 1990") == ["1990-05-17"]
    assert _isos("05/1990") == ["1990-05"]


def test_precision_and_iso():
    assert PartialDate(1990).precision == "year" and PartialDate(1990).iso() == "1990"
    assert PartialDate(1990, 5).precision == "month" and PartialDate(1990, 5).iso() == "1990-05"
    assert PartialDate(1990, 5, 17).precision == "day" and PartialDate(1990, 5, 17).iso() == "1990-05-17"


def test_day_month_ambiguity_keeps_both_readings_uk_first():
    amb = parse_dob("03/04/1990")
    assert [c.iso() for c in amb.candidates] == ["1990-04-03", "1990-03-04"]
    assert amb.ambiguous and (amb.year_min, amb.year_max) == (1990, 1990) and amb.years == (1990,)
    assert not parse_dob("13/04/1990").ambiguous  # no 13th month
    assert not parse_dob("04/04/1990").ambiguous  # both readings the same day
    assert _isos("04/13/1990") == ["1990-04-13"]  # only the US reading is a date


def test_what_is_refused():
    for bad in ("31/02/1990", "3/4/90", "90-05-17", "1899", "1850-01-01", "3000", "2999-01-01",
                "next tuesday", "", "   ", None, "00/00/0000", "1990-13", "1990-00-10"):
        assert parse_dob(bad) is None, bad
    assert parse_dob(f"{date.today().year + 1}") is None


def test_an_age_gives_two_possible_birth_years():
    est = birth_years_from_age(24, date(2026, 6, 1))
    assert isinstance(est, BirthDate)
    assert (est.year_min, est.year_max, est.estimated, est.candidates) == (2001, 2002, True, ())
    assert est.years == (2001, 2002) and not est.ambiguous
    assert birth_years_from_age(-3, date(2026, 1, 1)).year_max == 2026  # clamped, not an error


def test_report_dates_and_timestamps():
    assert parse_date("2024-03-05") == date(2024, 3, 5)
    assert parse_date("05/03/2024") == date(2024, 3, 5)  # UK order only
    assert parse_date("2024-03-05T10:00:00Z") == date(2024, 3, 5)
    assert parse_date("5 March 2024") == date(2024, 3, 5)
    assert parse_date("31/02/2024") is None and parse_date("soon") is None
    assert parse_datetime("2024-03-05T10:15:00Z") == datetime(2024, 3, 5, 10, 15)
    assert parse_datetime("2024-03-05T11:15:00+01:00") == datetime(2024, 3, 5, 10, 15)
    assert parse_datetime("2024-03-05") == datetime(2024, 3, 5)
    assert parse_datetime("05/03/2024 10:15") == datetime(2024, 3, 5, 10, 15)
    assert parse_datetime("2024-03-05T10:15:00").tzinfo is None
    assert parse_datetime("not a time") is None


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
def test_every_real_date_round_trips_through_each_written_form(d):
    assert parse_dob(d.isoformat()).candidates[0] == PartialDate(d.year, d.month, d.day)
    assert parse_dob(d.strftime("%d/%m/%Y")).candidates[0] == PartialDate(d.year, d.month, d.day)
    assert parse_dob(d.strftime("%Y%m%d")).candidates[0] == PartialDate(d.year, d.month, d.day)
    assert parse_date(d.strftime("%d/%m/%Y")) == d == parse_date(d.isoformat())


@FAST
@given(st.text(max_size=40))
def test_dates_never_raise_and_are_idempotent(text):
    d = parse_dob(text)
    if d is not None:
        assert d.candidates and d.year_min <= d.year_max
        for c in d.candidates:
            assert parse_dob(c.iso()).candidates[0] == c
    r = parse_date(text)
    if r is not None:
        assert parse_date(r.isoformat()) == r
    t = parse_datetime(text)
    if t is not None:
        assert t.tzinfo is None and parse_datetime(t.isoformat()) == t


@FAST
@given(st.integers(min_value=-10, max_value=200), st.dates(min_value=date(1950, 1, 1)))
def test_age_estimates_never_raise(age, on):
    est = birth_years_from_age(age, on)
    assert est.year_max - est.year_min == 1 and est.estimated
