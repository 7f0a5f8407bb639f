"""Comparisons declared as ordered levels (Splink style): each returns the level two records
reach, or None when either side has nothing to compare (no evidence either way).

A level's weight comes from scoring.py; an explanation is the list of levels hit and their
weights. Cannot-link rules live here too: evidence strong enough that two records must never
share an entity, whatever else agrees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from functools import lru_cache

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from linkage.resolve.arrays import unique_inverse, unique_sorted
from linkage.resolve.dob_arrays import dob_levels_many
from linkage.resolve.features import BusinessFeatures, LocationFeatures, PersonFeatures
from linkage.resolve.name_arrays import name_pair_levels


# -- people ------------------------------------------------------------------------------

def _token_alignment(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Similarity of two token sets, order-insensitive, tolerant of a typo in any token:
    each token of the longer set is matched to its most similar unused token of the other;
    the score is the length-weighted mean similarity."""
    if len(a) < len(b):
        a, b = b, a
    pool = list(b)
    total = 0.0
    length = 0
    for t in sorted(a, key=len, reverse=True):
        length += len(t)
        if not pool:
            continue
        best_i, best = 0, -1.0
        for i, u in enumerate(pool):
            s = 1.0 if t == u else OSA.normalized_similarity(t, u)
            if s > best:
                best_i, best = i, s
        if best >= 0.5:
            total += best * len(t)
            pool.pop(best_i)
    return total / length if length else 0.0


def _initials_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """"nguyen v a" and "nguyen van an": every full token of one side is in the other and every
    initial matches a distinct remaining token's first letter. Needs one full shared token."""
    if not any(len(t) == 1 for t in a) and not any(len(t) == 1 for t in b):
        return False  # no initials on either side: the usual case, answered without the lists
    for short, long_ in ((a, b), (b, a)):
        full = [t for t in short if len(t) > 1]
        inits = [t for t in short if len(t) == 1]
        if not inits or not full:
            continue
        rest = list(long_)
        ok = True
        for t in full:
            if t in rest:
                rest.remove(t)
            else:
                ok = False
                break
        if not ok:
            continue
        for i in inits:
            hit = next((r for r in rest if r[0] == i), None)
            if hit is None:
                ok = False
                break
            rest.remove(hit)
        if ok:
            return True
    return False


@lru_cache(maxsize=1_000_000)
def _name_level_pair(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if a == b:
        return 0
    sim = _token_alignment(a, b)
    if sim >= 0.90 and abs(len(a) - len(b)) == 0:
        return 1
    if _initials_compatible(a, b):
        return 2
    sa, sb = set(a), set(b)
    shared = sa & sb
    if len(shared) >= 2 and (sa <= sb or sb <= sa):
        return 3
    if sim >= 0.80:
        return 4
    return 5


NAME_LEVELS = ("exact", "close", "initials", "subset", "fuzzy", "different")

# Words that make a name a description rather than a name: "The Driver", "Big Man", "Uncle Wong",
# "Ah Fai". Such nicknames are handed round whole crews, so agreeing on one is weak evidence.
DESCRIPTORS = frozenset({
    "the", "big", "little", "lil", "small", "old", "young", "uncle", "auntie", "aunty", "aunt",
    "mama", "mamma", "papa", "sister", "brother", "bro", "boss", "chef", "chief", "manager",
    "driver", "man", "lady", "madam", "oga", "ah", "baba", "mr", "mrs", "miss", "ms",
})


@lru_cache(maxsize=200_000)
def is_full_name(tokens: tuple[str, ...]) -> bool:
    """Two or more tokens that are not descriptors, one of them more than an initial: a name that
    tells people apart. A single token ("Zef", "Cristi") or a description ("the driver") is a
    nickname: the name comparison scores it at the weaker "alias" level."""
    real = [t for t in tokens if t not in DESCRIPTORS]
    return len(real) >= 2 and any(len(t) > 1 for t in real)


def name_level(fa: PersonFeatures, fb: PersonFeatures) -> str | None:
    """The best level over the full names of both records; nicknames only reach "alias"."""
    if fa.anonymous or fb.anonymous:
        return None
    best = 5
    alias = False
    for a in fa.names:
        fa_full = is_full_name(a)
        for b in fb.names:
            if not (fa_full and is_full_name(b)):
                if a == b:
                    alias = True
                continue
            lvl = _name_level_pair(a, b)
            if lvl < best:
                best = lvl
                if best == 0:
                    return NAME_LEVELS[0]
    if best == 5 and alias:
        return "alias"
    return NAME_LEVELS[best]


def _name_levels_many(feats: Sequence[PersonFeatures], ia: Sequence[int], ib: Sequence[int]) -> list[str | None]:
    """[name_level(feats[i], feats[j]) for i, j in zip(ia, ib)], the name pairs compared in
    arrays (name_arrays.py): what compare.py calls for the distinct pairs of a run."""
    ia, ib = np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64)
    name_id: dict[tuple[str, ...], int] = {}
    names: list[tuple[str, ...]] = []
    # per record: its full names as ids (flat, record after record) and its nicknames
    n = len(feats)
    counts = np.zeros(n, dtype=np.int64)
    flat: list[int] = []
    nicks: dict[int, frozenset] = {}
    anonymous = np.zeros(n, dtype=bool)
    order = unique_sorted(np.concatenate([ia, ib]))
    for i in order.tolist():
        f = feats[i]
        anonymous[i] = f.anonymous
        nick = []
        for nm in f.names:
            if is_full_name(nm):
                x = name_id.get(nm)
                if x is None:
                    x = name_id[nm] = len(names)
                    names.append(nm)
                flat.append(x)
                counts[i] += 1
            else:
                nick.append(nm)
        if nick:
            nicks[i] = frozenset(nick)
    # records' names are laid out in index order: starts by cumulative count
    start = np.zeros(n, dtype=np.int64)
    start[order] = np.cumsum(counts[order]) - counts[order]
    values = np.asarray(flat, dtype=np.int64)
    # every (full name, full name) pair of every pair of records
    ca, cb = counts[ia], counts[ib]
    per_pair = ca * cb
    owner = np.repeat(np.arange(len(ia), dtype=np.int64), per_pair)
    k = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    cb_o = cb[owner]
    xa = values[start[ia][owner] + k // np.maximum(cb_o, 1)] if len(owner) else np.zeros(0, np.int64)
    xb = values[start[ib][owner] + k % np.maximum(cb_o, 1)] if len(owner) else np.zeros(0, np.int64)
    best = np.full(len(ia), 5, dtype=np.int8)
    if len(owner):
        width = max(len(names), 1)
        uniq, inv, _ = unique_inverse(xa * width + xb)
        lv = name_pair_levels(names, uniq // width, uniq % width, _name_level_pair, _initials_compatible)
        np.minimum.at(best, owner, lv[inv])
    out = [NAME_LEVELS[b] for b in best.tolist()]
    if nicks:
        for p in np.nonzero(best == 5)[0].tolist():
            na, nb = nicks.get(int(ia[p])), nicks.get(int(ib[p]))
            if na and nb and na & nb:
                out[p] = "alias"
    for p in np.nonzero(anonymous[ia] | anonymous[ib])[0].tolist():
        out[p] = None
    return out


name_level.many = _name_levels_many


def dob_level(fa: PersonFeatures, fb: PersonFeatures) -> str | None:
    if not fa.has_dob or not fb.has_dob:
        return None
    if fa.days and fb.days:
        if fa.days & fb.days:
            return "exact"
        if any((y, d, m) in fb.days for (y, m, d) in fa.days if d <= 12):
            return "swapped"
        if not fa.estimated and not fb.estimated:
            # two full dates of birth that disagree: two people, whatever else agrees
            return "conflict"
    if fa.months and fb.months and fa.months & fb.months:
        return "year_month"
    if fa.years and fb.years and not fa.estimated and not fb.estimated:
        if fa.years & fb.years:
            return "year"
        return "conflict"
    # at least one side is an estimate from an age: compare year ranges
    lo = max(fa.year_min, fb.year_min)
    hi = min(fa.year_max, fb.year_max)
    if lo <= hi:
        return "range"
    gap = lo - hi
    return "far" if gap <= 3 else "conflict"


dob_level.many = lambda feats, ia, ib: dob_levels_many(feats, ia, ib, dob_level)


def nationality_level(fa: PersonFeatures, fb: PersonFeatures) -> str | None:
    if not fa.nationality or not fb.nationality:
        return None
    return "same" if fa.nationality == fb.nationality else "different"


def gender_level(fa: PersonFeatures, fb: PersonFeatures) -> str | None:
    if not fa.gender or not fb.gender or "other" in (fa.gender, fb.gender):
        return None
    return "same" if fa.gender == fb.gender else "different"


def _shared(attr: str) -> Callable[[object, object], str | None]:
    def level(fa, fb) -> str | None:
        return "shared" if getattr(fa, attr) & getattr(fb, attr) else None
    level.__name__ = f"{attr}_level"
    level.shares = attr  # no evidence unless both sides have some: compare.py skips the rest
    return level


def document_level(fa: PersonFeatures, fb: PersonFeatures) -> str | None:
    if not fa.documents or not fb.documents:
        return None
    na = {d[1] for d in fa.documents}
    if na & {d[1] for d in fb.documents}:
        return "same"
    if _documents_conflict(fa, fb):
        return "conflict"
    return None


def _documents_conflict(fa: PersonFeatures, fb: PersonFeatures) -> bool:
    """Same kind of document from the same country with a different number."""
    kinds_a = {(d[0], d[2]): d[1] for d in fa.documents if d[2]}
    for t, num, country in fb.documents:
        if country and (t, country) in kinds_a and kinds_a[(t, country)] != num:
            return True
    return False


PERSON_COMPARISONS: dict[str, Callable] = {
    "name": name_level,
    "dob": dob_level,
    "nationality": nationality_level,
    "gender": gender_level,
    "phone": _shared("phones"),
    "address": _shared("addresses"),
    "document": document_level,
    "vehicle": _shared("vehicles"),
    "place": _shared("places"),
}


# An age given in a report is often a guess (by the person, a first responder or an officer), so it
# only rules a link out when it is further than this from the other record's birth years.
AGE_SLACK_YEARS = 5


def person_cannot_link(fa: PersonFeatures, fb: PersonFeatures) -> str | None:
    """A reason two person records can never be one entity, or None.

    Conflicting stated dates of birth, documents of one kind and country with different numbers,
    and different recorded genders. A wrongly recorded value keeps records apart rather than
    merging two people; an analyst's "same" judgement overrides any of these."""
    if fa.gender in ("male", "female") and fb.gender in ("male", "female") and fa.gender != fb.gender:
        return "different genders recorded"
    if fa.has_dob and fb.has_dob:
        if not fa.estimated and not fb.estimated:
            if dob_level(fa, fb) == "conflict":
                return "conflicting dates of birth"
        elif max(fa.year_min, fb.year_min) - min(fa.year_max, fb.year_max) > AGE_SLACK_YEARS:
            return "date of birth and stated age too far apart"
    if fa.documents and fb.documents and _documents_conflict(fa, fb):
        na = {d[1] for d in fa.documents}
        if not na & {d[1] for d in fb.documents}:
            return "conflicting document numbers"
    return None


def _person_cannot_many(feats: list, ia: np.ndarray, ib: np.ndarray,
                        level_is: Callable[[str, str], np.ndarray]) -> np.ndarray:
    """person_cannot_link(feats[i], feats[j]) is not None, for many pairs at once: clustering
    and the review queue ask it of hundreds of thousands of pairs. `level_is(comparison, level)`
    tells which of these pairs the comparisons put at a level (dob_level is one of them)."""
    n = len(feats)
    gender = np.fromiter((1 if f.gender == "male" else 2 if f.gender == "female" else 0 for f in feats),
                         dtype=np.int8, count=n)
    has_dob = np.fromiter((f.year_min is not None for f in feats), dtype=bool, count=n)
    estimated = np.fromiter((f.estimated for f in feats), dtype=bool, count=n)
    y_min = np.fromiter((f.year_min or 0 for f in feats), dtype=np.int64, count=n)
    y_max = np.fromiter((f.year_max or 0 for f in feats), dtype=np.int64, count=n)
    has_docs = np.fromiter((bool(f.documents) for f in feats), dtype=bool, count=n)
    ga, gb = gender[ia], gender[ib]
    out = (ga > 0) & (gb > 0) & (ga != gb)
    both = has_dob[ia] & has_dob[ib]
    stated = both & ~estimated[ia] & ~estimated[ib]
    out |= stated & level_is("dob", "conflict")
    guessed = both & (estimated[ia] | estimated[ib])
    gap = np.maximum(y_min[ia], y_min[ib]) - np.minimum(y_max[ia], y_max[ib])
    out |= guessed & (gap > AGE_SLACK_YEARS)
    # documents are rare: those pairs are asked one by one, in the same order as the rule
    for p in np.nonzero(~out & has_docs[ia] & has_docs[ib])[0].tolist():
        out[p] = person_cannot_link(feats[int(ia[p])], feats[int(ib[p])]) is not None
    return out


person_cannot_link.many = _person_cannot_many


# -- locations ---------------------------------------------------------------------------

def location_address_level(fa: LocationFeatures, fb: LocationFeatures) -> str | None:
    if fa.canonical and fa.canonical == fb.canonical:
        return "exact"
    if not fa.uk or not fb.uk:
        return None
    same_place = (fa.postcode and fa.postcode == fb.postcode) or (
        (not fa.postcode or not fb.postcode) and fa.street and fa.street == fb.street)
    if not same_place:
        if fa.postcode and fb.postcode:
            return "conflict"
        return None
    if fa.house_number and fb.house_number:
        if fa.house_number != fb.house_number:
            return "conflict"
        if fa.flat == fb.flat:
            return "same_premises"
        if fa.flat and fb.flat:
            return "conflict"
        return "same_building"
    if not fa.house_number and not fb.house_number:
        return "same_street"
    return "same_street"


def location_business_level(fa: LocationFeatures, fb: LocationFeatures) -> str | None:
    if not fa.business_fp or not fb.business_fp:
        return None
    return "same" if fa.business_fp == fb.business_fp else "different"


def venue_level(fa, fb) -> str | None:
    if not fa.venue_type or not fb.venue_type:
        return None
    return "same" if fa.venue_type == fb.venue_type else "different"


LOCATION_COMPARISONS: dict[str, Callable] = {
    "address": location_address_level,
    "business_name": location_business_level,
    "venue_type": venue_level,
}


def location_cannot_link(fa: LocationFeatures, fb: LocationFeatures) -> str | None:
    if location_address_level(fa, fb) == "conflict":
        return "different premises (house number, flat or postcode)"
    return None


# -- businesses --------------------------------------------------------------------------

def business_name_level(fa: BusinessFeatures, fb: BusinessFeatures) -> str | None:
    if not fa.canonical or not fb.canonical:
        return None
    if fa.canonical == fb.canonical:
        return "exact"
    if fa.fingerprint and fa.fingerprint == fb.fingerprint:
        return "fingerprint"
    if ratio(fa.fingerprint, fb.fingerprint) >= 90:
        return "close"
    return "different"


def company_number_level(fa: BusinessFeatures, fb: BusinessFeatures) -> str | None:
    if not fa.company_number or not fb.company_number:
        return None
    return "same" if fa.company_number == fb.company_number else "conflict"


def business_postcode_level(fa: BusinessFeatures, fb: BusinessFeatures) -> str | None:
    if not fa.postcode or not fb.postcode:
        return None
    return "same" if fa.postcode == fb.postcode else "different"


BUSINESS_COMPARISONS: dict[str, Callable] = {
    "name": business_name_level,
    "company_number": company_number_level,
    "postcode": business_postcode_level,
    "venue_type": venue_level,
    "phone": _shared("phones"),
}


def business_cannot_link(fa: BusinessFeatures, fb: BusinessFeatures) -> str | None:
    """A business entity is one trading concern at one place: "Eagle Fish Bar" in Manchester and
    "Eagle Fish Bar" in Croydon are two, unless one company number ties them together."""
    cn = company_number_level(fa, fb)
    if cn == "conflict":
        return "different company numbers"
    if cn != "same" and business_postcode_level(fa, fb) == "different":
        return "different postcodes and no shared company number"
    return None
