"""Source model -> ReportBundle (the Report, its Records and its RecordLinks), for all four kinds.

The record contract the resolver and analytics read (see ingest/README.md):
- one Record per person, location, business, phone, email, vehicle or account a report names;
  two objects of one report that give the same record id are one record (most specific role);
- `value` the canonical value, `attrs` the normalised fields, `keys` the blocking keys;
- record-level links for what the report says (explicit `links`) and what its structure says
  (a person's phones, an exploiter of the victim, a business at its address ...).

Normalisers are pure and values repeat a great deal across reports (the same phone, address or
business in hundreds of them), so each normaliser is called through a cache here.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from linkage.model import (
    LinkType, Record, RecordLink, Report, ReportBundle, Role, content_hash,
)
from ingest import normalise as N
from ingest.sources import (
    Account, Business, InvalidReport, Link, Location, Person, Vehicle,
)

# Which of two roles a merged record keeps: the higher rank (ties keep the first).
ROLE_RANK: dict[str, int] = {
    Role.MENTIONED: 0, Role.UNKNOWN: 1, Role.OTHER: 1, Role.SUBJECT: 2, Role.CONTACT: 3,
    Role.VENUE: 4, Role.REFERRER: 4, Role.RESIDENCE: 5, Role.WORKPLACE: 5, Role.SAFE_HOUSE: 5,
    Role.WITNESS: 5, Role.ASSOCIATE: 6, Role.EXPLOITATION: 7, Role.VICTIM: 7, Role.SUSPECT: 7,
    Role.EXPLOITER: 8,
}

# A location's role from its stated use.
USE_ROLE: dict[str, str] = {
    "exploitation": Role.EXPLOITATION, "residence": Role.RESIDENCE,
    "workplace": Role.WORKPLACE, "safe_house": Role.SAFE_HOUSE,
}

MAX_MENTIONED_SUBJECTS = 5
_PHONE_LIKE = re.compile(r"^[+(]?[0-9][0-9 ()./-]{5,}$")
_ALNUM = re.compile(r"[^0-9A-Za-z]")
_HAS_DIGIT = re.compile(r"\d")

_GENDERS = {
    "m": "male", "male": "male", "man": "male", "boy": "male", "mr": "male",
    "f": "female", "female": "female", "woman": "female", "girl": "female", "w": "female",
    "mrs": "female", "ms": "female", "miss": "female",
    "x": "other", "other": "other", "non-binary": "other", "nonbinary": "other",
    "non binary": "other", "transgender": "other", "trans": "other", "intersex": "other",
}
_UNKNOWN_TEXT = frozenset({"", "u", "unknown", "not known", "nk", "n/k", "n/a", "na", "none",
                           "unk", "?", "-", "not stated", "prefer not to say"})


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = (str, int, float, bool, type(None))


def as_dict(obj: Any) -> dict[str, Any]:
    """A normaliser's result (dataclass, pydantic model or named tuple) as plain JSON-able data."""
    if obj is None:
        return {}
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        if dataclasses.is_dataclass(obj):
            names = tuple(f.name for f in dataclasses.fields(obj))
        elif hasattr(obj, "_fields"):
            names = tuple(obj._fields)
        elif hasattr(obj, "model_dump"):
            return {k: _plain(v) for k, v in obj.model_dump().items()}
        else:
            return {k: _plain(v) for k, v in vars(obj).items()}
        _FIELD_NAMES[type(obj)] = names
    out = {}
    for k in names:
        v = getattr(obj, k)
        out[k] = v if type(v) in _SCALARS else _plain(v)
    return out


def _plain(v: Any) -> Any:
    if type(v) in _SCALARS:
        return v
    if isinstance(v, (tuple, list, set, frozenset)):
        return [x if type(x) in _SCALARS else _plain(x) for x in v]
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if dataclasses.is_dataclass(v) or hasattr(v, "_asdict"):
        return as_dict(v)
    return v


# -- cached normalisation (one call per distinct value per process) ----------------------------
# Cached results are shared between records: never mutate them, copy first.

@lru_cache(maxsize=200_000)
def name_entry(full: str | None, given: str | None, family: str | None):
    """(attrs name dict, blocking keys) or None when there is no usable name."""
    pn = N.normalise_name(full_name=full, given_names=given, family_name=family)
    if pn is None or not pn.tokens:
        return None
    entry = {"raw": pn.raw, "folded": pn.folded, "tokens": list(pn.tokens),
             "family": pn.family, "given": pn.given}
    return entry, tuple(N.name_keys(pn))


@lru_cache(maxsize=100_000)
def dob_entry(text: str):
    bd = N.parse_dob(text)
    return None if bd is None else _birth(bd)


@lru_cache(maxsize=20_000)
def age_entry(age: int, on: date):
    return _birth(N.birth_years_from_age(age, on))


def _birth(bd) -> dict:
    cands = []
    for c in bd.candidates:
        cands.append(c.iso() if hasattr(c, "iso") else str(c))
    return {"raw": bd.raw, "candidates": cands, "year_min": bd.year_min,
            "year_max": bd.year_max, "estimated": bool(bd.estimated)}


@lru_cache(maxsize=5_000)
def alpha3(text: str) -> str | None:
    return N.to_alpha3(text)


@lru_cache(maxsize=1_000)
def gender_of(text: str) -> str | None:
    t = text.strip().lower().rstrip(".")
    if t in _UNKNOWN_TEXT:
        return None
    return _GENDERS.get(t, "other")


@lru_cache(maxsize=200_000)
def phone_entry(text: str):
    """(value, attrs) or None when the text holds no phone number at all."""
    ph = N.normalise_phone(text)
    if ph is None:
        return None
    value = ph.e164 or ph.canonical  # E.164 whenever the number is possible, else "raw:<digits>"
    if not value:
        return None
    return value, {"raw": ph.raw, "e164": ph.e164, "valid": bool(ph.valid), "country": ph.country}


@lru_cache(maxsize=100_000)
def email_entry(text: str) -> str | None:
    return N.normalise_email(text)


@lru_cache(maxsize=200_000)
def address_entry(address: str | None, lines: tuple[str, ...], postcode: str | None,
                  town: str | None, country: str | None):
    """(canonical, attrs address dict, keys) or None when nothing usable was given."""
    ad = N.normalise_address(address=address, lines=list(lines) or None, postcode=postcode,
                             town=town, country=country)
    if ad is None or not ad.canonical:
        return None
    data = as_dict(ad)
    return ad.canonical, data, tuple(ad.keys or ())


@lru_cache(maxsize=100_000)
def business_entry(name: str):
    b = N.normalise_business(name)
    if b is None or not b.canonical:
        return None
    return b.canonical, as_dict(b), tuple(N.business_keys(b))


@lru_cache(maxsize=100_000)
def vrm_entry(text: str):
    v = N.normalise_vrm(text)
    if v is None or not v.canonical:
        return None
    return v.canonical, bool(v.valid)


@lru_cache(maxsize=100_000)
def account_entry(sort_code: str | None, number: str | None, iban: str | None):
    a = N.normalise_account(sort_code=sort_code, account_number=number, iban=iban)
    if a is None or not a.canonical:
        return None
    return a.canonical, as_dict(a)


def clean_number(text: str) -> str:
    """Document and company numbers: upper case, letters and digits only."""
    return _ALNUM.sub("", text).upper()


class _ForceCache:
    """postcode -> force through one lookup, remembered (the lookup is the same all run)."""

    def __init__(self):
        self.lookup = None
        self.cache: dict[str, str | None] = {}

    def force(self, lookup, postcode: str | None) -> str | None:
        if not postcode or lookup is None:
            return None
        if lookup is not self.lookup:
            self.lookup, self.cache = lookup, {}
        try:
            return self.cache[postcode]
        except KeyError:
            f = self.cache[postcode] = lookup.force_for_postcode(postcode)
            if len(self.cache) > 200_000:
                self.cache.clear()
            return f


_FORCES = _ForceCache()


def _age_on(birth: dict | None, on: date | None) -> int | None:
    """The oldest the person can be on `on` (so "a child" is never a guess)."""
    if not birth or on is None:
        return None
    oldest = None
    for c in birth.get("candidates") or []:
        parts = str(c).split("-")
        try:
            y = int(parts[0])
            m = int(parts[1]) if len(parts) > 1 else 1
            d = int(parts[2]) if len(parts) > 2 else 1
        except ValueError:
            continue
        age = on.year - y - ((on.month, on.day) < (m, d))
        oldest = age if oldest is None else max(oldest, age)
    if oldest is None and birth.get("year_min") is not None:
        oldest = on.year - int(birth["year_min"])
    return oldest


# -- the builder -------------------------------------------------------------------------------

@dataclasses.dataclass(slots=True)
class _Pending:
    """A Location/Vehicle/Account given only by `ref`: resolved when the report is complete."""

    ref: str
    record_type: str
    path: str


class ReportBuilder:
    """Collects the records and links of one report; `finish()` returns the bundle."""

    def __init__(self, report: Report, lookup, warnings: list[str] | None = None):
        self.report = report
        self.rid = report.report_id
        self.reported_at = report.reported_at
        self.lookup = lookup
        self.records: dict[str, Record] = {}
        self.by_ref: dict[str, str] = {}  # input ref -> record id
        self.by_value: dict[tuple[str, str], str] = {}  # (type, canonical value) -> record id
        self.links: list[tuple[Any, Any, str, str | None, bool]] = []
        self.victims: list[str] = []
        self.business_addresses: list[tuple[str, _Pending]] = []  # address given by ref only
        self.warnings = warnings if warnings is not None else []

    # -- records ------------------------------------------------------------------------------
    def add(self, record_type: str, ref: str, role: str, value: str, display: str,
            attrs: dict, keys: Iterable[str], *, path: str, input_ref: str | None = None,
            force: str | None = None, use: str | None = None, venue_type: str | None = None,
            lat: float | None = None, lon: float | None = None) -> str:
        record_id = Record.id_for(self.rid, record_type, ref)
        if input_ref is not None:
            seen = self.by_ref.get(input_ref)
            if seen is not None and seen != record_id:
                other = self.records[seen].record_type
                raise InvalidReport(f"{path}.ref", f"ref {input_ref!r} is already used by a "
                                    f"{other} in this report (refs must be unique)")
            self.by_ref[input_ref] = record_id
        old = self.records.get(record_id)
        if old is None:
            self.records[record_id] = Record(
                record_id, self.rid, record_type, str(role), ref, value, display, attrs,
                list(dict.fromkeys(keys)), force, use, venue_type, lat, lon, self.reported_at)
            if value:
                self.by_value.setdefault((record_type, value), record_id)
        else:
            _merge(old, str(role), display, attrs, keys,
                   {"force": force, "use": use, "venue_type": venue_type, "lat": lat, "lon": lon})
        return record_id

    def link(self, src: Any, dst: Any, link_type: str, *, evidence: str | None = None,
             touches: bool = True) -> None:
        """`touches`: the link ties the ends to the report's people (see `mention_orphans`)."""
        self.links.append((src, dst, str(link_type), evidence, touches))

    # -- people ------------------------------------------------------------------------------
    def person(self, p: Person, path: str, role: str, *, is_child: bool | None = None,
               consent: bool | None = None) -> str:
        names = []
        keys: list[str] = []
        raw_name = p.full_name or " ".join(x for x in (p.given_names, p.family_name) if x) or None
        primary = name_entry(p.full_name, p.given_names, p.family_name) if raw_name else None
        if primary is not None:
            names.append(primary[0])
            keys.extend(primary[1])
        for alias in p.aliases:
            entry = name_entry(alias, None, None) if alias and alias.strip() else None
            if entry is not None and all(entry[0]["folded"] != n["folded"] for n in names):
                names.append(entry[0])
                keys.extend(entry[1])
        birth = None
        if p.dob is not None and p.dob.strip():
            birth = dob_entry(p.dob.strip())
            if birth is None:
                raise InvalidReport(f"{path}.dob", f"not a date of birth: {p.dob!r} (use "
                                    "YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY)")
        elif p.age is not None and self.reported_at is not None:
            birth = age_entry(p.age, self.reported_at)
        gender = gender_of(p.gender) if p.gender else None
        nationality = None
        if p.nationality and p.nationality.strip().lower() not in _UNKNOWN_TEXT:
            nationality = alpha3(p.nationality)
            if nationality is None:
                self.warnings.append(f"{path}.nationality: {p.nationality!r} is not a country "
                                     "we know; left blank")
        documents = []
        for i, d in enumerate(p.documents):
            number = clean_number(d.number)
            if not number:
                raise InvalidReport(f"{path}.documents[{i}].number",
                                    "a document number needs letters or digits")
            documents.append({"type": str(d.type), "number": number,
                              "country": alpha3(d.country) if d.country else None})
            keys.append(f"doc:{number}")
        if p.age is not None:
            age = p.age
        else:
            age = _age_on(birth, self.reported_at) if birth else None
        child = bool(is_child) or (age is not None and age < 18)
        anonymous = primary is None
        if anonymous:
            display = _anonymous_display(gender, p.nationality, p.age, birth)
            value = ""
            ref = p.ref or path
        else:
            display = raw_name
            value = primary[0]["folded"]
            ref = p.ref or value
        attrs = {
            "names": names, "tokens": list(primary[0]["tokens"]) if primary else [],
            "dob": birth, "gender": gender, "nationality": nationality, "documents": documents,
            "is_child": child, "consent": consent, "anonymous": anonymous,
        }
        pid = self.add("person", ref, role, value, display, attrs, keys, path=path,
                       input_ref=p.ref)
        if role == Role.VICTIM:
            self.victims.append(pid)
        contact = Role.CONTACT
        for i, text in enumerate(p.phones):
            self.link(pid, self.phone(text, f"{path}.phones[{i}]", contact), LinkType.USES_PHONE)
        for i, text in enumerate(p.emails):
            self.link(pid, self.email(text, f"{path}.emails[{i}]", contact), LinkType.USES_EMAIL)
        for i, loc in enumerate(p.addresses):
            lid = self.location(loc, f"{path}.addresses[{i}]", Role.RESIDENCE,
                                default_use="residence")
            kind = LinkType.WORKS_AT if loc.use == "workplace" else LinkType.LIVES_AT
            self.link(pid, lid, kind)
        for i, v in enumerate(p.vehicles):
            self.link(pid, self.vehicle(v, f"{path}.vehicles[{i}]", contact),
                      LinkType.USES_VEHICLE)
        for i, a in enumerate(p.accounts):
            self.link(pid, self.account(a, f"{path}.accounts[{i}]", contact),
                      LinkType.HOLDS_ACCOUNT)
        return pid

    # -- places and businesses ------------------------------------------------------------------
    def location(self, loc: Location, path: str, role: str, *, default_use: str | None = None):
        if loc.is_reference():
            return _Pending(loc.ref, "location", path)
        lines = tuple(x for x in loc.lines if x and x.strip())
        entry = address_entry(loc.address or None, lines, loc.postcode or None, loc.town or None,
                              loc.country or None)
        if entry is not None:
            canonical, address, keys = entry
            postcode = address.get("postcode")
        elif loc.lat is not None and loc.lon is not None:
            canonical = f"{loc.lat:.5f},{loc.lon:.5f}"
            address, keys, postcode = None, (f"geo:{loc.lat:.3f},{loc.lon:.3f}",), None
        else:
            raise InvalidReport(path, "a location needs an address, lines, a postcode or lat/lon")
        display = loc.address or ", ".join(x for x in (*lines, loc.town, loc.postcode) if x) or canonical
        use = str(loc.use) if loc.use else default_use
        if loc.use:
            role = USE_ROLE.get(str(loc.use), Role.OTHER)
        venue = str(loc.venue_type) if loc.venue_type else None
        attrs = {"address": address, "business_name": loc.business_name, "venue_type": venue,
                 "use": use}
        lid = self.add("location", loc.ref or canonical, role, canonical, display, attrs, keys,
                       path=path, input_ref=loc.ref, force=_FORCES.force(self.lookup, postcode),
                       use=use, venue_type=venue, lat=loc.lat, lon=loc.lon)
        if loc.business_name and loc.business_name.strip():
            bid = self.business_named(loc.business_name, f"{path}.business_name", Role.VENUE,
                                      venue_type=venue, postcode=postcode, address=canonical)
            if bid is not None:
                self.link(bid, lid, LinkType.OPERATES_AT, touches=False)
        return lid

    def business_named(self, name: str, path: str, role: str, *, venue_type: str | None = None,
                       postcode: str | None = None, address: str | None = None,
                       company_number: str | None = None, ref: str | None = None,
                       required: bool = True) -> str | None:
        entry = business_entry(name.strip()) if name and name.strip() else None
        if entry is None:
            if required:
                raise InvalidReport(path, f"not a business name: {name!r}")
            return None
        canonical, name_attrs, keys = entry
        keys = list(keys)
        if company_number:
            keys.append(f"co:{company_number}")
        attrs = {"name": name_attrs, "company_number": company_number, "venue_type": venue_type,
                 "postcode": postcode, "address": address}
        return self.add("business", ref or canonical, role, canonical, name.strip(), attrs, keys,
                        path=path, input_ref=ref, venue_type=venue_type)

    def business(self, b: Business, path: str, role: str = Role.VENUE) -> str:
        if not b.name or not b.name.strip():
            raise InvalidReport(f"{path}.name", "a business needs a name")
        cn = None
        if b.company_number and b.company_number.strip():
            cn = clean_number(b.company_number)
            if cn.isdigit() and len(cn) < 8:
                cn = cn.zfill(8)
        venue = str(b.venue_type) if b.venue_type else None
        lid = postcode = canonical = None
        if b.address is not None:
            lid = self.location(b.address, f"{path}.address", Role.VENUE)
            if isinstance(lid, str):
                a = self.records[lid].attrs.get("address") or {}
                postcode, canonical = a.get("postcode"), self.records[lid].value
        bid = self.business_named(b.name, f"{path}.name", role, venue_type=venue,
                                  postcode=postcode, address=canonical, company_number=cn,
                                  ref=b.ref)
        if lid is not None:
            self.link(bid, lid, LinkType.OPERATES_AT, touches=False)
            if not isinstance(lid, str):
                self.business_addresses.append((bid, lid))
        for i, text in enumerate(b.phones):
            self.link(bid, self.phone(text, f"{path}.phones[{i}]", Role.CONTACT),
                      LinkType.USES_PHONE, touches=False)
        for i, text in enumerate(b.emails):
            self.link(bid, self.email(text, f"{path}.emails[{i}]", Role.CONTACT),
                      LinkType.USES_EMAIL, touches=False)
        return bid

    def referrer(self, organisation: str | None, path: str) -> None:
        """The referring organisation as a business record (role referrer), deliberately unlinked:
        links from every referral to its referrer would glue unrelated cases into one network."""
        if organisation and organisation.strip():
            self.business_named(organisation, path, Role.REFERRER, required=False)

    # -- identifiers ----------------------------------------------------------------------------
    def phone(self, text: str, path: str, role: str, *, ref: str | None = None) -> str:
        entry = phone_entry(text.strip()) if text and text.strip() else None
        if entry is None:
            raise InvalidReport(path, f"not a phone number: {text!r}")
        value, attrs = entry
        return self.add("phone", ref or value, role, value, text.strip(), attrs,
                        (f"ph:{value}",), path=path)

    def email(self, text: str, path: str, role: str, *, ref: str | None = None) -> str:
        value = email_entry(text.strip()) if text and text.strip() else None
        if not value:
            raise InvalidReport(path, f"not an email address: {text!r}")
        return self.add("email", ref or value, role, value, text.strip(), {"email": value},
                        (f"em:{value}",), path=path)

    def vehicle(self, v: Vehicle, path: str, role: str, *, ref: str | None = None):
        if not v.vrm or not v.vrm.strip():
            if v.ref and not (v.make or v.model or v.colour):
                return _Pending(v.ref, "vehicle", path)
            raise InvalidReport(f"{path}.vrm", "a vehicle needs its registration mark (vrm)")
        entry = vrm_entry(v.vrm.strip())
        if entry is None:
            raise InvalidReport(f"{path}.vrm", f"not a registration mark: {v.vrm!r}")
        value, valid = entry
        attrs = {"vrm": value, "raw": v.vrm, "valid": valid, "make": v.make, "model": v.model,
                 "colour": v.colour}
        return self.add("vehicle", ref or v.ref or value, role, value, v.vrm.strip(), attrs,
                        (f"vrm:{value}",), path=path, input_ref=v.ref)

    def account(self, a: Account, path: str, role: str):
        if not (a.iban or a.sort_code or a.account_number):
            if a.ref and not a.bank:
                return _Pending(a.ref, "account", path)
        entry = account_entry(a.sort_code or None, a.account_number or None, a.iban or None)
        if entry is None:
            raise InvalidReport(path, "an account needs sort_code and account_number, or an iban "
                                "(not readable as given)")
        value, attrs = entry
        attrs = {**attrs, "bank": a.bank}
        display = a.iban or " ".join(x for x in (a.sort_code, a.account_number) if x)
        return self.add("account", a.ref or value, role, value, display, attrs,
                        (f"acct:{value}",), path=path, input_ref=a.ref)

    # -- what the report says between its objects -----------------------------------------------
    def explicit_links(self, links: list[Link]) -> None:
        for i, l in enumerate(links):
            src = self._end(l.from_, f"links[{i}].from")
            dst = self._end(l.to, f"links[{i}].to")
            self.link(src, dst, l.type)

    def _end(self, text: str, path: str) -> str:
        rid = self.by_ref.get(text)
        if rid is not None:
            return rid
        t = text.strip()
        if "@" in t:
            value = email_entry(t)
            if value:
                return self.by_value.get(("email", value)) or self.email(t, path, Role.CONTACT)
        if _PHONE_LIKE.match(t):
            entry = phone_entry(t)
            if entry is not None:
                return self.by_value.get(("phone", entry[0])) or self.phone(t, path, Role.CONTACT)
        vrm = vrm_entry(t) if len(t) <= 10 else None
        if vrm is not None and ("vehicle", vrm[0]) in self.by_value:
            return self.by_value[("vehicle", vrm[0])]
        raise InvalidReport(path, f"unknown ref {text!r}: not the ref of a person, location, "
                            "business, vehicle or account in this report, nor a phone number "
                            "or email address")

    def mention_orphans(self, subjects: list[str], objects: list[Any]) -> None:
        """Top-level objects the report relates to none of its people: MENTIONED_WITH from each
        subject (the first few), so what one submission names together stays together."""
        subjects = list(dict.fromkeys(subjects))[:MAX_MENTIONED_SUBJECTS]
        if not subjects:
            return
        touched = self._touched()
        for obj in dict.fromkeys(o for o in objects if isinstance(o, str)):
            if obj not in touched:
                for s in subjects:
                    self.link(s, obj, LinkType.MENTIONED_WITH)

    def narrative_mentions(self, narrative: str | None, subjects: list[str]) -> None:
        """Phones, emails, registration marks and postcodes written only in the narrative."""
        if not narrative or not (_HAS_DIGIT.search(narrative) or "@" in narrative):
            return  # every phone, postcode and registration mark has a digit; emails an @
        mentions = N.extract_mentions(narrative)
        if not mentions:
            return
        subjects = list(dict.fromkeys(subjects))[:MAX_MENTIONED_SUBJECTS]
        postcodes = {(r.attrs.get("address") or {}).get("postcode")
                     for r in self.records.values() if r.record_type == "location"}
        kinds = {"phone": "phone", "email": "email", "vrm": "vehicle", "postcode": "location"}
        for m in mentions:
            rtype = kinds.get(m.kind)
            if rtype is None or not m.value:
                continue
            if rtype == "location":
                if m.value in postcodes:
                    continue
            elif (rtype, m.value) in self.by_value:
                continue
            ref = f"m:{m.kind}:{m.value}"
            rid = self._mentioned(rtype, ref, m)
            if rid is None:
                continue
            if rtype == "location":
                postcodes.add(m.value)
            for s in subjects:
                self.link(s, rid, LinkType.MENTIONED_WITH, evidence=f"narrative[{m.start}:{m.end}]")

    def _mentioned(self, rtype: str, ref: str, m) -> str | None:
        raw = m.raw or m.value
        if rtype == "phone":
            entry = phone_entry(raw) or phone_entry(m.value)
            if entry is None:
                return None
            value, attrs = entry
            return self.add("phone", ref, Role.MENTIONED, value, raw, attrs, (f"ph:{value}",),
                            path="narrative")
        if rtype == "email":
            value = email_entry(m.value) or m.value
            return self.add("email", ref, Role.MENTIONED, value, raw, {"email": value},
                            (f"em:{value}",), path="narrative")
        if rtype == "vehicle":
            entry = vrm_entry(m.value)
            value, valid = entry if entry else (m.value, False)
            attrs = {"vrm": value, "raw": raw, "valid": valid, "make": None, "model": None,
                     "colour": None}
            return self.add("vehicle", ref, Role.MENTIONED, value, raw, attrs, (f"vrm:{value}",),
                            path="narrative")
        entry = address_entry(None, (), m.value, None, None)
        if entry is None:
            return None
        canonical, address, keys = entry
        attrs = {"address": address, "business_name": None, "venue_type": None, "use": None}
        return self.add("location", ref, Role.MENTIONED, canonical, raw, attrs, keys,
                        path="narrative", force=_FORCES.force(self.lookup, address.get("postcode")))

    # -- the end ------------------------------------------------------------------------------
    def _resolve(self, end: Any) -> str:
        if isinstance(end, str):
            return end
        rid = self.by_ref.get(end.ref)
        if rid is None or self.records[rid].record_type != end.record_type:
            raise InvalidReport(f"{end.path}.ref", f"no {end.record_type} with ref {end.ref!r} "
                                "in this report")
        return rid

    def _touched(self) -> set[str]:
        """Records at either end of a link that ties them to the report's people (explicit links
        and person links; not a business's own address or phones)."""
        touched: set[str] = set()
        for src, dst, _type, _evidence, touches in self.links:
            if touches:
                touched.add(self._resolve(src))
                touched.add(self._resolve(dst))
        return touched

    def finish(self) -> ReportBundle:
        for bid, pending in self.business_addresses:
            loc = self.records[self._resolve(pending)]
            attrs = self.records[bid].attrs
            if attrs.get("address") is None:
                attrs["address"] = loc.value
                attrs["postcode"] = (loc.attrs.get("address") or {}).get("postcode")
        links: dict[tuple[str, str, str], RecordLink] = {}
        for src, dst, link_type, evidence, _touches in self.links:
            src, dst = self._resolve(src), self._resolve(dst)
            if src == dst:
                continue
            key = (src, dst, link_type)
            if key not in links:
                links[key] = RecordLink(src, dst, link_type, self.rid, evidence)
        if any(self.records[v].attrs.get("is_child") for v in self.victims):
            self.report.child_involved = True
        return ReportBundle(self.report, list(self.records.values()), list(links.values()))


def _anonymous_display(gender: str | None, nationality: str | None, age: int | None,
                       birth: dict | None) -> str:
    parts = [f"unnamed {gender}" if gender in ("male", "female") else "unnamed person"]
    if nationality and nationality.strip().lower() not in _UNKNOWN_TEXT:
        parts.append(nationality.strip())
    if age is not None:
        parts.append(f"~{age}")
    elif birth and birth.get("year_min"):
        y0, y1 = birth["year_min"], birth.get("year_max") or birth["year_min"]
        parts.append(f"born {y0}" if y0 == y1 else f"born {y0}-{y1}")
    return ", ".join(parts)


def _merge(rec: Record, role: str, display: str, attrs: dict, keys: Iterable[str], extra: dict) -> None:
    """Fold a second mention of the same record id into the first (nothing is lost)."""
    if ROLE_RANK.get(role, 1) > ROLE_RANK.get(rec.role, 1):
        rec.role = role
    if not rec.display and display:
        rec.display = display
    merged = dict(rec.attrs)
    for k, v in attrs.items():
        cur = merged.get(k)
        if cur is None or cur == "" or cur == []:
            merged[k] = v
        elif isinstance(cur, list) and isinstance(v, list):
            merged[k] = cur + [x for x in v if x not in cur]
        elif isinstance(cur, bool) and isinstance(v, bool):
            merged[k] = cur or v
    rec.attrs = merged
    for k in keys:
        if k not in rec.keys:
            rec.keys.append(k)
    for k, v in extra.items():
        if getattr(rec, k) is None and v is not None:
            setattr(rec, k, v)


# -- the report --------------------------------------------------------------------------------

def new_report(model, payload: dict, *, organisation: str, force: str | None,
               received_at: datetime, raw: str | None = None, **fields) -> Report:
    """`raw`: the payload's JSON text as received, when there is one (else it is dumped). A raw
    text means the payload is `json.loads(raw)` itself, so the hash may take its fast path."""
    source_ref = model.source_ref
    kind = str(model.kind)
    return Report(
        report_key=Report.key_for(kind, organisation, source_ref), kind=kind,
        source_ref=source_ref, organisation=organisation, content_hash=content_hash(payload, parsed_json=raw is not None),
        reported_at=model.reported_at, received_at=model.received_utc(received_at),
        raw=raw if raw is not None else json.dumps(payload, ensure_ascii=False, default=str),
        force=force,
        narrative=model.narrative, **fields)


def victim_report(model, payload: dict, *, organisation: str, force: str | None,
                  received_at: datetime, lookup, referrer: str | None = None,
                  referrer_path: str = "", raw: str | None = None) -> tuple[ReportBundle, list[str]]:
    """NRM and Duty to Notify: one victim, exploiters, places of exploitation."""
    ex = model.exploitation
    types = [str(t) for t in ex.types] if ex is not None else []
    victim_child = getattr(model.victim, "is_child", None)
    report = new_report(model, payload, organisation=organisation, force=force,
                        received_at=received_at, raw=raw, exploitation_types=types,
                        child_involved=bool(victim_child))
    b = ReportBuilder(report, lookup)
    victim = b.person(model.victim, "victim", Role.VICTIM, is_child=victim_child,
                      consent=model.victim.consent)
    if ex is not None:
        for i, loc in enumerate(ex.locations):
            lid = b.location(loc, f"exploitation.locations[{i}]", Role.EXPLOITATION,
                             default_use="exploitation")
            b.link(victim, lid, LinkType.EXPLOITED_AT)
    for i, p in enumerate(model.exploiters):
        pid = b.person(p, f"exploiters[{i}]", Role.EXPLOITER)
        b.link(pid, victim, LinkType.EXPLOITS)
    b.referrer(referrer, referrer_path)
    b.explicit_links(model.links)
    return b.finish(), b.warnings


def subjects_report(model, payload: dict, *, organisation: str, force: str | None,
                    received_at: datetime, lookup, child_victims: bool = False,
                    referrer: str | None = None, referrer_path: str = "",
                    raw: str | None = None, **fields) -> tuple[ReportBundle, list[str]]:
    """Intelligence submissions and partner referrals: subjects and what is named with them."""
    report = new_report(model, payload, organisation=organisation, force=force,
                        received_at=received_at, raw=raw, **fields)
    b = ReportBuilder(report, lookup)
    subjects = []
    for i, p in enumerate(model.subjects):
        role = str(p.role) if p.role else Role.UNKNOWN
        child = True if (child_victims and role == Role.VICTIM) else p.is_child
        subjects.append(b.person(p, f"subjects[{i}]", role, is_child=child, consent=p.consent))
    top: list[Any] = []
    for i, loc in enumerate(model.locations):
        top.append(b.location(loc, f"locations[{i}]", Role.SUBJECT))
    for i, bus in enumerate(model.businesses):
        top.append(b.business(bus, f"businesses[{i}]", Role.VENUE))
    for i, text in enumerate(model.phones):
        top.append(b.phone(text, f"phones[{i}]", Role.SUBJECT))
    for i, text in enumerate(model.emails):
        top.append(b.email(text, f"emails[{i}]", Role.SUBJECT))
    for i, v in enumerate(model.vehicles):
        top.append(b.vehicle(v, f"vehicles[{i}]", Role.SUBJECT))
    for i, a in enumerate(model.accounts):
        top.append(b.account(a, f"accounts[{i}]", Role.SUBJECT))
    b.referrer(referrer, referrer_path)
    b.explicit_links(model.links)
    b.mention_orphans(subjects, [b._resolve(t) for t in top])
    b.narrative_mentions(model.narrative, subjects)
    return b.finish(), b.warnings
