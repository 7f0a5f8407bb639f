"""Per record type: how to build features, which comparisons, cannot-link rule, blocking keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from linkage.resolve import comparisons as C
from linkage.resolve import features as F
from linkage.resolve import units as U


@lru_cache(maxsize=200_000)
def _phon(token: str) -> str:
    return jellyfish.nysiis(token) if token.isascii() else token


def person_keys(f: F.PersonFeatures) -> list[str]:
    """Name-token pairs and their phonetic forms (order-free), single phonetic tokens (so
    "Wojcik M." meets "Michal Wojcik"; capped when common), documents, phones, and each full
    name token's phonetic form with each stated or estimated birth year and the initial of
    another token of the same name ("Tran|1990|t" for "Tran Van Thanh" and "T. Tran V.").

    The initial is what keeps the token-and-year blocks small: "Nguyen" born in 1990 alone
    made blocks of dozens of different people, which were 0.83 million of 2.2 million candidate
    pairs at 50,000 reports (2.5% of them matches); with an initial the same matches are found
    from 1.5 million pairs in all. A one-token name keeps the plain token-and-year key."""
    keys = [k for k in f.keys if k.startswith(("nn:", "np:", "n1:", "doc:"))]
    keys += [f"doc:{d[1]}" for d in f.documents]
    keys += [f"ph:{p}" for p in f.phones]
    if f.year_min is not None and f.year_max - f.year_min <= 3:
        years = range(f.year_min, f.year_max + 1)
        typed: set[str] = set()
        for name in f.names:
            for a, t in enumerate(name):
                if len(t) < 2:
                    continue
                p = _phon(t)
                initials = {u[0] for b, u in enumerate(name) if b != a}
                for y in years:
                    if initials:
                        typed.update(f"ty:{p}|{y}|{i}" for i in initials)
                    else:
                        typed.add(f"ty:{p}|{y}")
        keys += typed
    return keys


def location_keys(f: F.LocationFeatures) -> list[str]:
    keys = [k for k in f.keys if k.startswith(("pc:", "ps:", "st:", "sn:", "tn:", "raw:"))]
    if f.street and f.house_number:
        keys.append(f"sn:{f.street}|{f.house_number}")
    if f.canonical:
        keys.append(f"lc:{f.canonical}")
    if f.postcode and f.business_fp:
        keys.append(f"pv:{f.postcode}|{f.business_fp}")
    if f.postcode and not f.house_number:
        keys.append(f"pz:{f.postcode}")
    return keys


def business_keys(f: F.BusinessFeatures) -> list[str]:
    keys = [k for k in f.keys if k.startswith(("bf:", "bt:", "co:"))]
    if f.fingerprint:
        keys.append(f"bf:{f.fingerprint}")
    if f.company_number:
        keys.append(f"co:{f.company_number}")
    keys += [f"ph:{p}" for p in f.phones]
    return keys


def person_constrained(f: F.PersonFeatures) -> bool:
    return (f.has_dob and not f.estimated) or bool(f.documents) or f.gender in ("male", "female")


@dataclass(frozen=True)
class TypeSpec:
    record_type: str
    build: Callable
    comparisons: dict
    cannot_link: Callable
    keys: Callable
    constrained: Callable
    tf_key: Callable | None
    tf_comparison: str | None
    uses_context: bool
    em: bool
    sort_key: Callable | None = None
    identity: Callable | None = None  # what tells two identities with one name apart (tf)
    signature: Callable = lambda f: id(f)  # noqa: E731 - features equal for every comparison
    comparison_keys: dict = None  # comparison -> the part of the features it looks at (cache key)
    unit_key: Callable | None = None  # records sharing it are certainly one entity (units.py)
    merge: Callable | None = None  # features of a unit from its members' features
    # blocking keys (by prefix) that pair a record only with records that need them: a record
    # named by one token ("Zef", "Wojcik M.") has no name-pair key, so it meets others through
    # single-token keys; two records with full names already meet through their name pairs
    sparse_prefixes: tuple[str, ...] = ()
    needs_sparse: Callable | None = None
    # everything cannot_link reads: records with equal keys get equal answers (None: not known)
    hard_key: Callable | None = None


def person_signature(f: F.PersonFeatures) -> tuple:
    return (tuple(f.names), f.days, f.months, f.years, f.year_min, f.year_max, f.estimated,
            f.nationality, f.gender, f.documents, f.phones, f.addresses, f.vehicles, f.places)


def location_signature(f: F.LocationFeatures) -> tuple:
    return (f.canonical, f.uk, f.postcode, f.house_number, f.flat, f.street, f.business_fp, f.venue_type)


def business_signature(f: F.BusinessFeatures) -> tuple:
    return (f.canonical, f.fingerprint, f.company_number, f.postcode, f.venue_type, f.phones)


def person_hard_key(f: F.PersonFeatures) -> tuple:
    """The fields person_cannot_link reads."""
    return (f.gender, f.days, f.months, f.years, f.year_min, f.year_max, f.estimated, f.documents)


def _dob_key(f):
    return (f.days, f.months, f.years, f.year_min, f.year_max, f.estimated)


PERSON_KEYS = {"name": lambda f: tuple(f.names), "dob": _dob_key,
               "nationality": lambda f: f.nationality, "gender": lambda f: f.gender,
               "document": lambda f: f.documents}
LOCATION_KEYS = {"address": location_signature, "business_name": lambda f: f.business_fp,
                 "venue_type": lambda f: f.venue_type}
BUSINESS_KEYS = {"name": lambda f: (f.canonical, f.fingerprint),
                 "company_number": lambda f: f.company_number, "postcode": lambda f: f.postcode,
                 "venue_type": lambda f: f.venue_type}

SPECS = {
    "person": TypeSpec("person", F.person_features, C.PERSON_COMPARISONS, C.person_cannot_link,
                       person_keys, person_constrained, lambda f: f.folded[:1], "name", True, True,
                       lambda f: (f.folded[0] if f.folded else "", f.year_min or 0),
                       lambda f: min(f.days) if f.days else None, person_signature, PERSON_KEYS,
                       U.person_unit_key, U.merge_person, ("n1:",), lambda f: not any(
                           k.startswith("nn:") for k in f.keys), person_hard_key),
    "location": TypeSpec("location", lambda rec, ctx=None: F.location_features(rec),
                         C.LOCATION_COMPARISONS, C.location_cannot_link, location_keys,
                         lambda f: bool(f.house_number or f.flat or f.postcode), None, None, False, False,
                         lambda f: (f.canonical,), None, location_signature, LOCATION_KEYS),
    "business": TypeSpec("business", F.business_features, C.BUSINESS_COMPARISONS,
                         C.business_cannot_link, business_keys, lambda f: bool(f.company_number or f.postcode),
                         lambda f: [f.fingerprint], "name", True, False,
                         lambda f: (f.fingerprint, f.postcode or ""),
                         lambda f: f.postcode, business_signature, BUSINESS_KEYS),
}
