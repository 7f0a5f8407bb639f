"""What the resolver compares, built once per record from the stored record and its report's links.

Pure: records and links in, feature objects out. Relational context (phones, addresses,
vehicles, emails, accounts a person is linked to in the same report) comes from record links.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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


def person_features(rec: dict, ctx: dict[str, set] | None = None) -> PersonFeatures:
    a = rec.get("attrs") or {}
    names = []
    folded = []
    family = set()
    for n in a.get("names") or []:
        toks = tuple(sorted(set(n.get("tokens") or [])))
        if toks:
            names.append(toks)
            folded.append(" ".join(toks))
            if n.get("family"):
                family.add(n["family"])
    days, months, years = set(), set(), set()
    dob = a.get("dob") or None
    year_min = year_max = None
    estimated = False
    if dob:
        estimated = bool(dob.get("estimated"))
        year_min, year_max = dob.get("year_min"), dob.get("year_max")
        for c in dob.get("candidates") or []:
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
    docs = frozenset(
        (d.get("type") or "other", d.get("number"), d.get("country"))
        for d in a.get("documents") or [] if d.get("number"))
    ctx = ctx or {}
    return PersonFeatures(
        record_id=rec["record_id"], names=names, folded=folded, family=family,
        anonymous=not names, days=frozenset(days), months=frozenset(months),
        years=frozenset(years), year_min=year_min, year_max=year_max, estimated=estimated,
        nationality=a.get("nationality"), gender=a.get("gender"), documents=docs,
        phones=frozenset(ctx.get("phones", ())), addresses=frozenset(ctx.get("addresses", ())),
        vehicles=frozenset(ctx.get("vehicles", ())), emails=frozenset(ctx.get("emails", ())),
        keys=list(rec.get("keys") or []),
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
