"""What the resolver compares, built once per record from the stored record and its report's links.

Pure: records and links in, feature objects out. Relational context (phones, addresses,
vehicles, emails, accounts a person is linked to in the same report) comes from record links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from linkage.model import LinkType

# link types that tie a person or business to an identifier, and which context set it fills
_CONTEXT = {
    LinkType.USES_PHONE.value: "phones",
    LinkType.USES_EMAIL.value: "emails",
    LinkType.USES_VEHICLE.value: "vehicles",
    LinkType.HOLDS_ACCOUNT.value: "accounts",
    LinkType.PAID_INTO.value: "accounts",
    LinkType.LIVES_AT.value: "addresses",
}


@dataclass(slots=True)
class PersonFeatures:
    record_id: str
    names: list[tuple[str, ...]]
    folded: list[str]
    family: set[str]
    anonymous: bool
    days: frozenset  # {(y, m, d)} day-precision candidates
    months: frozenset  # {(y, m)}
    years: frozenset  # {y} stated (not estimated)
    year_min: int | None
    year_max: int | None
    estimated: bool
    nationality: str | None
    gender: str | None
    documents: frozenset  # {(type, number, country)}
    phones: frozenset = frozenset()
    addresses: frozenset = frozenset()
    vehicles: frozenset = frozenset()
    emails: frozenset = frozenset()
    places: frozenset = frozenset()  # entities of the venues and businesses the report ties them to
    keys: list[str] = field(default_factory=list)

    @property
    def has_dob(self) -> bool:
        return self.year_min is not None


@dataclass(slots=True)
class LocationFeatures:
    record_id: str
    canonical: str
    uk: bool
    postcode: str | None
    district: str | None
    house_number: str | None
    flat: str | None
    street: str | None
    business_fp: str | None
    venue_type: str | None
    keys: list[str] = field(default_factory=list)


@dataclass(slots=True)
class BusinessFeatures:
    record_id: str
    canonical: str
    fingerprint: str
    tokens: tuple[str, ...]
    company_number: str | None
    postcode: str | None
    venue_type: str | None
    phones: frozenset = frozenset()
    keys: list[str] = field(default_factory=list)


def context_of(links: list[dict], values: dict[str, tuple[str, str]]) -> dict[str, dict[str, set]]:
    """record_id -> {"phones": {...}, "addresses": {...}, ...} from the record links.

    `values` maps record_id -> (record_type, value). Links are read in both directions
    because reports write them either way (a phone "used by" a person).
    """
    ctx: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for l in links:
        slot = _CONTEXT.get(l["link_type"])
        if slot is None:
            continue
        a, b = values.get(l["src"]), values.get(l["dst"])
        if a is None or b is None:
            continue
        if a[0] in ("person", "business") and b[1]:
            ctx[l["src"]][slot].add(b[1])
        if b[0] in ("person", "business") and a[1]:
            ctx[l["dst"]][slot].add(a[1])
    return ctx


# Ties between a person and a place or business that say where the person acts: runs a venue,
# is exploited or works there, owns the business, is seen there. Where a person lives is left
# out: the address comparison already counts it, by its canonical form.
PLACE_LINKS = frozenset({
    LinkType.OPERATES_AT.value, LinkType.EXPLOITED_AT.value, LinkType.WORKS_AT.value,
    LinkType.OWNS.value, LinkType.MENTIONED_WITH.value,
})


def place_context(links: list[dict], types: dict[str, str], entity_of: dict[str, str],
                  name_of: dict[str, str], *, max_names: int) -> dict[str, set[str]]:
    """person record_id -> the entities of the location and business records its own report
    ties it to (`PLACE_LINKS`), once locations and businesses are resolved.

    Two mentions of one name acting at one venue are very likely one person (in generated data,
    namesakes share a venue about 1 time in 200, true matches about 1 time in 2). A place tied
    to people of more than `max_names` distinct names (`name_of`: person record -> its name) is
    a hub - a police station, a hostel - that tells nobody apart, and is left out. Distinct
    names, not records: a busy venue gathers more reports every year, not more people."""
    ties: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for l in links:
        if l["link_type"] not in PLACE_LINKS:
            continue
        a, b = l["src"], l["dst"]
        ta, tb = types.get(a), types.get(b)
        if ta != "person":
            a, b, ta, tb = b, a, tb, ta
        if ta != "person" or tb not in ("location", "business"):
            continue
        e = entity_of.get(b)
        if e is not None:
            ties[a].add(e)
            names[e].add(name_of.get(a, a))
    crowded = {e for e, who in names.items() if len(who) > max_names}
    return {r: es - crowded for r, es in ties.items() if es - crowded}


def person_places(links: list[dict], records: Iterable[dict], entity_of: dict[str, str], *,
                  max_names: int) -> dict[str, set[str]]:
    """place_context for stored records (any types; persons are named by their first name)."""
    types: dict[str, str] = {}
    name_of: dict[str, str] = {}
    for r in records:
        rid = types[r["record_id"]] = r["record_type"]
        if rid == "person":
            names = (r.get("attrs") or {}).get("names") or []
            if names and names[0].get("tokens"):
                name_of[r["record_id"]] = " ".join(sorted(set(names[0]["tokens"])))
    return place_context(links, types, entity_of, name_of, max_names=max_names)


_EMPTY: frozenset = frozenset()


@lru_cache(maxsize=100_000)
def _dob_parts(candidates: tuple, year_min, year_max) -> tuple[frozenset, frozenset, frozenset, int | None, int | None]:
    """Day, month and year candidates of a stated date of birth ("1990-05-17", "1990-05",
    "1990"), and its year range. Records repeat dates of birth, so each is read once."""
    days, months, years = set(), set(), set()
    for c in candidates:
        parts = [int(p) for p in str(c).split("-")]
        if len(parts) == 3:
            days.add(tuple(parts))
            months.add(tuple(parts[:2]))
            years.add(parts[0])
        elif len(parts) == 2:
            months.add(tuple(parts))
            years.add(parts[0])
        elif parts:
            years.add(parts[0])
    if year_min is None and years:
        year_min, year_max = min(years), max(years)
    return frozenset(days), frozenset(months), frozenset(years), year_min, year_max


def _set(ctx: dict, slot: str) -> frozenset:
    values = ctx.get(slot)
    return frozenset(values) if values else _EMPTY


def person_features(rec: dict, ctx: dict[str, set] | None = None) -> PersonFeatures:
    a = rec.get("attrs") or {}
    names = []
    folded = []
    family = set()
    for n in a.get("names") or ():
        toks = tuple(sorted(set(n.get("tokens") or ())))
        if toks:
            names.append(toks)
            folded.append(" ".join(toks))
            if n.get("family"):
                family.add(n["family"])
    dob = a.get("dob") or None
    if dob:
        estimated = bool(dob.get("estimated"))
        days, months, years, year_min, year_max = _dob_parts(
            tuple(dob.get("candidates") or ()), dob.get("year_min"), dob.get("year_max"))
    else:
        estimated = False
        days = months = years = _EMPTY
        year_min = year_max = None
    documents = a.get("documents")
    docs = frozenset(
        (d.get("type") or "other", d.get("number"), d.get("country"))
        for d in documents if d.get("number")) if documents else _EMPTY
    ctx = ctx or {}
    return PersonFeatures(
        record_id=rec["record_id"], names=names, folded=folded, family=family,
        anonymous=not names, days=days, months=months,
        years=years, year_min=year_min, year_max=year_max, estimated=estimated,
        nationality=a.get("nationality"), gender=a.get("gender"), documents=docs,
        phones=_set(ctx, "phones"), addresses=_set(ctx, "addresses"),
        vehicles=_set(ctx, "vehicles"), emails=_set(ctx, "emails"),
        places=_set(ctx, "places"), keys=list(rec.get("keys") or ()),
    )


def location_features(rec: dict) -> LocationFeatures:
    a = rec.get("attrs") or {}
    ad = a.get("address") or {}
    bn = a.get("business_name")
    fp = None
    if bn:
        fp = "".join(ch for ch in str(bn).lower() if ch.isalnum()) or None
    return LocationFeatures(
        record_id=rec["record_id"], canonical=rec.get("value") or ad.get("canonical") or "",
        uk=bool(ad.get("uk", True)), postcode=ad.get("postcode"), district=ad.get("district"),
        house_number=ad.get("house_number"), flat=ad.get("flat"), street=ad.get("street"),
        business_fp=fp, venue_type=a.get("venue_type") or rec.get("venue_type"),
        keys=list(rec.get("keys") or []),
    )


def business_features(rec: dict, ctx: dict[str, set] | None = None) -> BusinessFeatures:
    a = rec.get("attrs") or {}
    n = a.get("name") or {}
    canonical = n.get("canonical") or rec.get("value") or ""
    cn = a.get("company_number")
    cn = "".join(ch for ch in str(cn).upper() if ch.isalnum()) if cn else None
    return BusinessFeatures(
        record_id=rec["record_id"], canonical=canonical,
        fingerprint=n.get("fingerprint") or canonical.replace(" ", ""),
        tokens=tuple(n.get("tokens") or canonical.split()), company_number=cn or None,
        postcode=a.get("postcode"), venue_type=a.get("venue_type") or rec.get("venue_type"),
        phones=frozenset((ctx or {}).get("phones", ())), keys=list(rec.get("keys") or []),
    )
