"""Units: records that are certainly one entity, compared as one.

A trafficker reported seventy times under the same full name and date of birth produces seventy
records that every blocking key puts together: thousands of pairs that can only ever say "same".
Grouping such records first (a deterministic key: full name, full date of birth, nationality,
gender and documents all identical) and comparing each group as one unit removes those pairs.

A unit's features are its members' features combined: every name any member was given, and the
union of the phones, addresses and vehicles they were linked to. Comparing another record with
the unit then gives the best level it reaches with any member on each comparison (name levels
take the best over name pairs; "shared" levels ask for any overlap), i.e. the evidence about the
entity as a whole. Members agree on everything a cannot-link rule looks at (date of birth,
documents, gender), so the rules hold for the unit exactly as for each member.

Records an analyst has judged "not same" with anything are never grouped, so judgements keep
acting on single records; non-dirty records of an incremental run only group with records of
the same previous entity, so a unit never straddles two existing entities.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from linkage.resolve.comparisons import is_full_name
from linkage.resolve.features import PersonFeatures


def person_unit_key(f: PersonFeatures):
    """Records with this key in common are the same person; None: the record stands alone."""
    if not f.names or not f.days or f.estimated or not is_full_name(f.names[0]):
        return None
    return (f.names[0], f.days, f.nationality, f.gender, f.documents)


def merge_person(members: Sequence[PersonFeatures]) -> PersonFeatures:
    first = members[0]
    if len(members) == 1:
        return first
    names = list(first.names)
    folded = list(first.folded)
    keys = dict.fromkeys(first.keys)
    phones, addresses, vehicles, emails = set(first.phones), set(first.addresses), set(first.vehicles), set(first.emails)
    places = set(first.places)
    family = set(first.family)
    for f in members[1:]:
        for n, fo in zip(f.names, f.folded):
            if n not in names:
                names.append(n)
                folded.append(fo)
        keys.update(dict.fromkeys(f.keys))
        phones |= f.phones
        addresses |= f.addresses
        vehicles |= f.vehicles
        emails |= f.emails
        places |= f.places
        family |= f.family
    return dataclasses.replace(first, names=names, folded=folded, family=family, keys=list(keys),
                               phones=frozenset(phones), addresses=frozenset(addresses),
                               vehicles=frozenset(vehicles), emails=frozenset(emails),
                               places=frozenset(places))


@dataclasses.dataclass
class Units:
    feats: list  # one feature object per unit
    members: list[list[int]]  # unit -> record indexes, ascending
    unit_of: list[int]  # record index -> unit


def group(feats: Sequence, key: Callable | None, merge: Callable | None, *,
          alone: set[int] = frozenset(), previous_of: Sequence[str | None] | None = None) -> Units:
    """Group records by `key` (None: alone). `alone`: record indexes never grouped;
    `previous_of[i]`: the entity a non-dirty record is held in (None for a dirty record)."""
    by_key: dict = {}
    members: list[list[int]] = []
    unit_of = [0] * len(feats)
    for i, f in enumerate(feats):
        k = None if key is None or i in alone else key(f)
        if k is not None:
            k = (k, previous_of[i] if previous_of is not None else None)
            u = by_key.get(k)
            if u is not None:
                members[u].append(i)
                unit_of[i] = u
                continue
            by_key[k] = len(members)
        unit_of[i] = len(members)
        members.append([i])
    ufeats = [feats[m[0]] if len(m) == 1 else merge([feats[i] for i in m]) for m in members]
    return Units(ufeats, members, unit_of)
