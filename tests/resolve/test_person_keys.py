"""Person blocking keys: a name token with a birth year meets only with another token's initial."""

from __future__ import annotations

from linkage.resolve.features import PersonFeatures
from linkage.resolve.types import person_keys


def _person(*names: tuple[str, ...], year: int | None = 1990, span: int = 0) -> PersonFeatures:
    return PersonFeatures(
        record_id="r", names=[tuple(sorted(n)) for n in names], folded=[" ".join(sorted(n)) for n in names],
        family=set(), anonymous=not names, days=frozenset(), months=frozenset(),
        years=frozenset() if year is None else frozenset({year}), year_min=year,
        year_max=None if year is None else year + span, estimated=span > 0, nationality=None,
        gender=None, documents=frozenset())


def _typed(f: PersonFeatures) -> set[str]:
    return {k for k in person_keys(f) if k.startswith("ty:")}


def test_initials_meet_the_full_name_of_the_same_year():
    short = _person(("t", "tran", "v"))
    full = _person(("tran", "van", "thanh"))
    assert _typed(short) & _typed(full)


def test_namesakes_sharing_only_a_family_name_and_year_do_not_meet():
    assert not _typed(_person(("nguyen", "van", "an"))) & _typed(_person(("nguyen", "thi", "mai")))


def test_other_years_do_not_meet():
    assert not _typed(_person(("tran", "van", "thanh"))) & _typed(_person(("tran", "van", "thanh"), year=1991))


def test_an_age_guess_meets_every_year_of_its_range():
    guess = _person(("tran", "van", "thanh"), year=1988, span=3)
    assert _typed(guess) & _typed(_person(("tran", "van", "thanh"), year=1991))


def test_a_one_token_name_keeps_a_token_and_year_key():
    assert _typed(_person(("zef",))) == {k for k in _typed(_person(("zef",))) if k.count("|") == 1}
    assert _typed(_person(("zef",)))


def test_no_year_no_typed_keys():
    assert not _typed(_person(("tran", "van", "thanh"), year=None))
