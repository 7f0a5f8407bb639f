"""The true world: people, places, businesses, phones, emails, vehicles and accounts as they
really are, each with its true entity id. Reports are later written *about* these (see
`mentions.py` and `render.py`); nothing here knows about report formats.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from linkage.generate.geography import (
    DISTRICTS, DISTRICTS_BY_FORCE, ESTATES, STREET_KINDS, STREET_STEMS, District, random_postcode,
)
from linkage.generate.identifiers import Issuer, ascii_fold
from linkage.generate.populations import GENERIC_NICKNAMES, POPULATIONS, Population
from linkage.generate.sampling import between, pick


@dataclass(slots=True)
class TruePerson:
    id: str
    pop: Population
    gender: str                     # "male" / "female"
    given: str                      # "Văn An"
    family: str                     # "Nguyễn"
    given_ascii: str
    family_ascii: str
    dob: date
    year_only: bool                 # only the year of birth is ever known
    child: bool = False
    aliases: tuple[str, ...] = ()
    phones: list[str] = field(default_factory=list)      # E.164
    emails: list[str] = field(default_factory=list)
    document: tuple[str, str, str] | None = None          # (type, number, country as written)
    home: int | None = None                               # location index
    vehicles: list[int] = field(default_factory=list)
    accounts: list[int] = field(default_factory=list)


@dataclass(slots=True)
class TrueLocation:
    id: str
    district: District
    postcode: str
    street: str                     # "High Street"
    street_short: str               # "High St"
    number: int
    flat: str | None                # "Flat 2", "Unit 4"
    name: str | None                # "Holly Farm", "Bradford Central Police Station"
    lat: float
    lon: float
    use: str                        # exploitation, residence, safe_house, police_station ...
    venue_type: str | None = None
    business: int | None = None
    # Precomputed one-line forms (without town or postcode), chosen from per mention.
    lines: tuple[str, ...] = ()

    @property
    def force(self) -> str:
        return self.district.force

    @property
    def town(self) -> str:
        return self.district.town


@dataclass(slots=True)
class TrueBusiness:
    id: str
    name: str
    variants: tuple[str, ...]
    company_number: str | None
    venue_type: str
    location: int
    phones: list[str] = field(default_factory=list)
    account: int | None = None
    owner: int | None = None        # person index


@dataclass(slots=True)
class TrueVehicle:
    id: str
    vrm: str
    make: str
    model: str
    colour: str


@dataclass(slots=True)
class TrueAccount:
    id: str
    bank: str
    sort_code: str
    number: str
    iban: str
    iban_known: bool


_BUSINESS_WORDS = (
    "Sparkle", "Lotus", "Golden Dragon", "Royal", "Star", "Diamond", "Crystal", "Happy", "Lucky",
    "Paradise", "Angel", "Bella", "Elite", "Premier", "Express", "Sunrise", "Oriental", "Jade",
    "Silk", "Rose", "Velvet", "Jasmine", "Orchid", "Bamboo", "Phoenix", "Supreme", "Magic",
    "Ocean", "City", "Platinum", "Regal", "Classic", "Apex", "Shine", "Pearl", "Emerald",
    "Sapphire", "Ruby", "Blossom", "Zen", "Lily", "Kings", "Northern", "Midland", "Pennine",
    "Thames", "Mersey", "Tyne", "Clyde", "Avon", "Eagle", "Falcon", "Crown", "Empire", "Unity",
)
_BUSINESS_TYPES: dict[str, tuple[tuple[str, float], ...]] = {
    # venue type -> (name ending, chance of a "Ltd")
    "car_wash": (("Hand Car Wash", 0.5), ("Hand Car Wash & Valeting", 0.4), ("Car Valet Centre", 0.3)),
    "nail_bar": (("Nails", 0.1), ("Nail Bar", 0.1), ("Nails & Beauty", 0.2), ("Nail Spa", 0.1)),
    "massage_parlour": (("Massage", 0.1), ("Thai Massage", 0.1), ("Health Spa", 0.3), ("Sauna", 0.2)),
    "construction_site": (("Construction", 0.9), ("Builders", 0.8), ("Groundworks", 0.9),
                          ("Developments", 0.9)),
    "farm": (("Farms", 0.8), ("Growers", 0.9), ("Fresh Produce", 0.9)),
    "factory": (("Textiles", 0.9), ("Packaging", 0.9), ("Foods", 0.9), ("Garments", 0.9)),
    "warehouse": (("Logistics", 0.9), ("Distribution", 0.9), ("Fulfilment", 0.9)),
    "takeaway": (("Takeaway", 0.1), ("Chinese Takeaway", 0.1), ("Kebab House", 0.1),
                 ("Fish Bar", 0.1), ("Noodle Bar", 0.1)),
    "restaurant": (("Restaurant", 0.3), ("Kitchen", 0.3), ("Buffet", 0.3)),
    "hotel": (("Hotel", 0.5), ("Lodge", 0.3), ("Guest House", 0.2)),
}
NO_BUSINESS = frozenset({"private_house", "cannabis_farm", "brothel"})
_FARM_NAMES = ("Holly", "Manor", "Grange", "Moor", "Brook", "Hill", "Oak Tree", "Willow", "Home",
               "Valley", "Church", "Lower", "Upper", "Fen", "Marsh")


def business_variants(name: str) -> tuple[str, ...]:
    """Ways the same business is written: 'Sparkle Hand Car Wash Ltd', 'Sparkle Handcarwash',
    'SPARKLE HAND CAR WASH', 'Sparkle Hand Car Wash Limited' ..."""
    base = name[:-4] if name.endswith(" Ltd") else name
    out = [name, base, base.upper(), name.upper() if name != base else base.lower()]
    if name != base:
        out.append(base + " Limited")
    squashed = (base.replace("Hand Car Wash", "Handcarwash").replace("Car Wash", "Carwash")
                .replace("Car Valet", "Car-Valet").replace(" & ", " and "))
    if squashed != base:
        out.append(squashed)
    ascii_name = ascii_fold(base)
    if ascii_name != base:
        out.append(ascii_name)
    seen: list[str] = []
    for v in out:
        if v not in seen:
            seen.append(v)
    return tuple(seen)


class Cast:
    """Creates and holds the true entities of one world."""

    def __init__(self, rng: random.Random, as_of: date):
        self.rng = rng
        self.as_of = as_of
        self.issuer = Issuer(rng)
        self.people: list[TruePerson] = []
        self.locations: list[TrueLocation] = []
        self.businesses: list[TrueBusiness] = []
        self.vehicles: list[TrueVehicle] = []
        self.accounts: list[TrueAccount] = []
        self.phone_ids: dict[str, str] = {}      # E.164 -> PH id, in creation order
        self.email_ids: dict[str, str] = {}
        self._names_full: set[tuple[str, date]] = set()
        self._names_year: set[tuple[str, int]] = set()
        self._names_year_only: set[tuple[str, int]] = set()
        self._addresses: set[tuple] = set()
        self._street_postcodes: dict[tuple[str, str], str] = {}
        self._business_names: set[tuple[str, str]] = set()

    # -- identifiers ----------------------------------------------------------------------------
    def phone(self, kind: str = "uk", country: str = "44") -> str:
        issuer = self.issuer
        if kind == "drama":
            value = issuer.drama_phone() or issuer.uk_mobile()
        elif kind == "foreign" and country != "44":
            value = issuer.foreign_mobile(country)
        else:
            value = issuer.uk_mobile()
        self.phone_ids[value] = f"PH{len(self.phone_ids) + 1:05d}"
        return value

    def email(self, given: str, family: str) -> str:
        value = self.issuer.email(given, family)
        self.email_ids[value] = f"E{len(self.email_ids) + 1:04d}"
        return value

    def vehicle(self) -> int:
        make, model, colour = self.issuer.vehicle_model()
        self.vehicles.append(TrueVehicle(f"V{len(self.vehicles) + 1:06d}", self.issuer.vrm(),
                                         make, model, colour))
        return len(self.vehicles) - 1

    def account(self) -> int:
        bank, sort_code, number, iban = self.issuer.account()
        self.accounts.append(TrueAccount(f"A{len(self.accounts) + 1:06d}", bank, sort_code,
                                         number, iban, self.rng.random() < 0.5))
        return len(self.accounts) - 1

    # -- people ---------------------------------------------------------------------------------
    def person(self, pop_key: str, gender: str, *, min_age: int, max_age: int, child: bool = False,
               year_only_rate: float = 0.15, alias_rate: float = 0.1) -> int:
        """A new true person; never the same name and date of birth as anyone else."""
        rng = self.rng
        pop = POPULATIONS[pop_key]
        year_only = (not child) and rng.random() < year_only_rate
        for attempt in range(200):
            given, family = self._name(pop, gender)
            age = between(rng, min_age, max_age)
            born = self.as_of - timedelta(days=age * 365 + rng.randrange(365))
            key = f"{ascii_fold(given).lower()}|{ascii_fold(family).lower()}"
            if year_only:
                if (key, born.year) in self._names_year:
                    continue
                self._names_year_only.add((key, born.year))
            else:
                if (key, born) in self._names_full or (key, born.year) in self._names_year_only:
                    continue
                self._names_full.add((key, born))
            self._names_year.add((key, born.year))
            break
        else:  # pragma: no cover - pools are far larger than any world
            raise RuntimeError("could not find an unused name and date of birth")
        aliases: tuple[str, ...] = ()
        if rng.random() < alias_rate:
            pool = pop.nicknames or GENERIC_NICKNAMES
            aliases = (pick(rng, pool),)
            if rng.random() < 0.2:
                aliases += (pick(rng, GENERIC_NICKNAMES),)
        pid = f"P{len(self.people) + 1:06d}"
        self.people.append(TruePerson(pid, pop, gender, given, family, ascii_fold(given),
                                      ascii_fold(family), born, year_only, child, aliases))
        return len(self.people) - 1

    def _name(self, pop: Population, gender: str) -> tuple[str, str]:
        rng = self.rng
        male = gender == "male"
        given = pick(rng, pop.given_male if male else pop.given_female)
        middle = pop.middle_male if male else pop.middle_female
        if middle:
            given = f"{pick(rng, middle)} {given}"
        elif pop.key in ("SD", "ER", "NG") and rng.random() < 0.3:
            # a second given name (father's name written as a given name)
            given = f"{given} {pick(rng, pop.given_male)}"
        family = pick(rng, pop.family)
        if "|" in family:
            masculine, feminine = family.split("|")
            family = masculine if male else feminine
        return given, family

    def equip_person(self, idx: int, *, phones: int = 1, foreign_rate: float = 0.0,
                     drama: bool = False, email_rate: float = 0.0, document_rate: float = 0.0) -> None:
        rng = self.rng
        p = self.people[idx]
        for _ in range(phones):
            if drama:
                p.phones.append(self.phone("drama"))
            elif p.pop.phone_country != "44" and rng.random() < foreign_rate:
                p.phones.append(self.phone("foreign", p.pop.phone_country))
            else:
                p.phones.append(self.phone())
        if rng.random() < email_rate:
            p.emails.append(self.email(p.given.split()[-1], p.family))
        if rng.random() < document_rate:
            national_id = p.pop.id_card and rng.random() < 0.5
            number = self.issuer.document_number(p.pop.passport_prefix, national_id)
            country = pick(rng, p.pop.renderings[1:])  # a country name or code, not a demonym
            p.document = ("national_id" if national_id else "passport", number, country)

    # -- places ---------------------------------------------------------------------------------
    def location(self, force: str, use: str, *, venue_type: str | None = None,
                 name: str | None = None, district: str | None = None,
                 street: str | None = None, number: int | None = None) -> int:
        rng = self.rng
        while True:
            d = DISTRICTS[district] if district else pick(rng, DISTRICTS_BY_FORCE[force])
            if street:
                full, short = street, street
            else:
                stem = pick(rng, STREET_STEMS)
                kind, abbr = pick(rng, STREET_KINDS)
                full, short = f"{stem} {kind}", f"{stem} {abbr}"
            num = number if number is not None else between(rng, 1, 240)
            flat = None
            if venue_type in ("factory", "warehouse", "car_wash") and rng.random() < 0.5:
                flat = f"Unit {between(rng, 1, 24)}"
            elif venue_type is None and use == "residence" and rng.random() < 0.45:
                flat = f"Flat {between(rng, 1, 12)}"
            elif venue_type in ("brothel", "massage_parlour", "cannabis_farm") and rng.random() < 0.3:
                flat = f"Flat {between(rng, 1, 8)}"
            place_name = name
            if place_name is None and venue_type == "farm":
                place_name = f"{pick(rng, _FARM_NAMES)} Farm"
            elif place_name is None and venue_type in ("factory", "warehouse") and rng.random() < 0.5:
                place_name = f"{pick(rng, ESTATES)} Industrial Estate"
            key = (d.code, full, num, flat, place_name)
            if key not in self._addresses:
                self._addresses.add(key)
                break
            if district and street and number is not None:
                number = None  # fixed addresses collide only by mistake: vary the number
        pc_key = (d.code, full)
        postcode = self._street_postcodes.get(pc_key)
        if postcode is None:
            postcode = random_postcode(rng, d.code)
            self._street_postcodes[pc_key] = postcode
        lat = round(d.lat + rng.uniform(-0.012, 0.012), 5)
        lon = round(d.lon + rng.uniform(-0.018, 0.018), 5)
        loc = TrueLocation(f"L{len(self.locations) + 1:06d}", d, postcode, full, short, num, flat,
                           place_name, lat, lon, use, venue_type)
        loc.lines = _address_lines(loc)
        self.locations.append(loc)
        return len(self.locations) - 1

    def business(self, loc_idx: int, venue_type: str) -> int | None:
        if venue_type in NO_BUSINESS:
            return None
        rng = self.rng
        loc = self.locations[loc_idx]
        for _ in range(50):
            ending, ltd_rate = pick(rng, _BUSINESS_TYPES[venue_type])
            word = pick(rng, _BUSINESS_WORDS)
            name = f"{word} {ending}"
            if rng.random() < ltd_rate:
                name += " Ltd"
            # The same trading name may exist in two forces, never twice in one.
            key = (loc.force, name.removesuffix(" Ltd"))
            if key not in self._business_names:
                self._business_names.add(key)
                break
        company = None
        if name.endswith(" Ltd") or rng.random() < 0.2:
            company = self.issuer.company_number(loc.force == "police-scotland")
        self.businesses.append(TrueBusiness(f"B{len(self.businesses) + 1:06d}", name,
                                            business_variants(name), company, venue_type, loc_idx))
        loc.business = len(self.businesses) - 1
        return loc.business


def _address_lines(loc: TrueLocation) -> tuple[str, ...]:
    """One-line forms of the street part of an address: 'Flat 2, 10 High Street',
    '10 High Street Flat 2', 'Flat 2, 10 High St', 'FLAT 2, 10 HIGH STREET'."""
    street = f"{loc.number} {loc.street}"
    short = f"{loc.number} {loc.street_short}"
    if loc.flat:
        forms = [f"{loc.flat}, {street}", f"{street} {loc.flat}", f"{loc.flat}, {short}",
                 f"{loc.flat} {short}"]
    else:
        forms = [street, short, street]
    if loc.name:
        forms = [f"{loc.name}, {f}" for f in forms] + [forms[0]]
    forms.append(forms[0].upper())
    return tuple(forms)
