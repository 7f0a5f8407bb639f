"""Writing each planned report as the payload FORMATS.md describes, with one truth row per object.

A `Renderer` walks the plans in date order. For every person, location, business, vehicle and
account it writes it gives the object a `ref` unique inside the report and records a truth row;
phones and emails get one truth row per distinct value in the report (keyed by the E.164 value or
the lower-cased email). It also notes, as it writes, the facts the planted file reports exactly:
which venues a connector touches, who was a victim and who a suspect, where victims later live,
which NRMs span two forces and which referrals carry no location at all.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from linkage.generate.cast import Cast, TruePerson
from linkage.generate.geography import DISTRICTS_BY_FORCE, FORCES_USED
from linkage.generate.mentions import (
    account_fields, age_on, dob_field, email_text, location_fields, name_fields, nationality,
    phone_text, vehicle_fields,
)
from linkage.generate.plans import RECENT_DAYS, Plan, WorldPlan
from linkage.generate.sampling import between, pick
from linkage.model import BENIGN_USES, force_name

NGOS = ("The Salvation Army", "Migrant Help", "Hestia", "Barnardo's", "Unseen UK",
        "Medaille Trust", "City Hearts", "Kalayaan", "British Red Cross", "Snowdrop Project")
UNITS = ("Modern Slavery Unit", "SOCEX", "Force Intelligence Bureau", "ROCU",
         "Neighbourhood Policing Team", "Exploitation Hub", "CID", "Organised Crime Unit")
CONDITIONS = (
    "Not to be disseminated outside law enforcement without reference to the originator.",
    "Contact the originating officer before any executive action.",
    "Source protection: do not disclose to partner agencies or the subject.",
    "For intelligence purposes only; not to be used as evidence.",
)
HOME_OFFICE = ("Home Office Immigration Enforcement", "Home Office UK Visas and Immigration")
BORDER_FORCE = ("Border Force Dover", "Border Force Heathrow", "Border Force Manchester Airport")
BANK_TEAMS = ("Barclays Financial Crime Unit", "HSBC Financial Intelligence Unit",
              "Lloyds Banking Group Fraud and Financial Crime", "NatWest Financial Crime Team",
              "Monzo Financial Crime", "Santander Anti-Money Laundering Team")
PARTNERS_BY_VENUE = {
    "labour": (("glaa", 4), ("hse", 1), ("ngo", 2), ("dwp", 2), ("bank", 2), ("crimestoppers", 2),
               ("local_authority", 1)),
    "sex": (("local_authority", 3), ("ngo", 3), ("crimestoppers", 3), ("bank", 2), ("force", 1),
            ("other", 1)),
    "house": (("crimestoppers", 3), ("local_authority", 3), ("dwp", 2), ("force", 2), ("ngo", 2),
              ("other", 1)),
}
_VENUE_GROUP = {"car_wash": "labour", "construction_site": "labour", "farm": "labour",
                "factory": "labour", "warehouse": "labour", "takeaway": "labour",
                "restaurant": "labour", "nail_bar": "sex", "massage_parlour": "sex",
                "brothel": "sex", "hotel": "sex", "private_house": "house",
                "cannabis_farm": "house"}
_HUB_PHRASES = {
    "safe_house": " Now accommodated in a safe house.",
    "police_station": " Interviewed at {}.",
    "hospital": " First seen at {} with untreated injuries.",
    "charity_office": " Self-presented at {}.",
    "immigration_centre": " Identified while detained at {}.",
    "port": " Encountered on arrival at {}.",
}
VENUE_EXPLOITATION = {
    "car_wash": ("labour",), "nail_bar": ("labour", "sexual"),
    "massage_parlour": ("sexual", "labour"), "brothel": ("sexual",),
    "construction_site": ("labour",), "farm": ("labour",), "factory": ("labour",),
    "warehouse": ("labour",), "takeaway": ("labour", "criminal"), "restaurant": ("labour",),
    "hotel": ("sexual", "labour"), "private_house": ("domestic_servitude", "sexual", "criminal"),
    "cannabis_farm": ("criminal", "labour"),
}
_REFERRAL_HUB_PHRASES = {
    "safe_house": " One of the workers is now in a safe house.",
    "police_station": " Workers were taken to {} after the visit.",
    "hospital": " One worker was treated at {}.",
    "charity_office": " One worker later came to {} for help.",
    "immigration_centre": " One worker is now detained at {}.",
    "port": " Workers are believed to have entered the UK through {}.",
}
_REFERRAL_TEXT = {
    "glaa": "GLAA inspection at {place}{pc} found workers who did not know their employer's name; "
            "wages paid into a single account.",
    "hse": "HSE visit to {place}{pc}: workers without safety equipment, living in a caravan on site.",
    "dwp": "Several benefit claims linked to {place}{pc} and one phone number; claimants appear "
           "controlled.",
    "bank": "Wages of several customers paid into one account and moved out the same day; linked "
            "to {place}.",
    "crimestoppers": "Anonymous caller reports people being moved in and out of {place}{pc} late "
                     "at night.",
    "local_authority": "Licensing visit to {place}{pc}: staff appeared frightened and were "
                       "sleeping on the premises.",
    "ngo": "{who} told our outreach worker about being {abuse} at {place}.",
    "force": "Information passed on by another force about {place}{pc}.",
    "other": "Concerns about {place}{pc}: possible {type} exploitation.",
}
CITY_COUNCILS = frozenset({
    "Birmingham", "Coventry", "Wolverhampton", "Manchester", "Salford", "Leeds", "Bradford",
    "Wakefield", "Liverpool", "Sheffield", "Nottingham", "Oxford", "Bristol", "Newcastle upon Tyne",
    "Sunderland", "Glasgow", "Edinburgh", "Canterbury",
})
LONDON_COUNCILS = ("London Borough of Newham", "London Borough of Tower Hamlets", "Haringey Council",
                   "Lambeth Council", "Southwark Council", "Brent Council", "Ealing Council",
                   "London Borough of Hillingdon", "Croydon Council", "Enfield Council")
LIVE_IN = frozenset({"cannabis_farm", "brothel", "private_house", "farm"})
_ABUSE = {
    "sexual": "forced to sell sex", "labour": "made to work long hours for little or no pay",
    "criminal": "made to tend cannabis plants and carry drugs",
    "domestic_servitude": "made to cook, clean and care for the family without pay",
    "organ_harvesting": "pressured to sell a kidney",
}
_WORK = {"car_wash": "washing cars", "nail_bar": "doing nails", "massage_parlour": "giving massages",
         "brothel": "in a flat used for sex work", "construction_site": "labouring on site",
         "farm": "picking and packing", "factory": "on the production line",
         "warehouse": "packing orders", "takeaway": "in the kitchen", "restaurant": "in the kitchen",
         "hotel": "cleaning rooms", "private_house": "in the house",
         "cannabis_farm": "watering a cannabis grow"}


def force_abbreviation(code: str) -> str:
    return "".join(w[0] for w in code.split("-")).upper()


def display(person: dict) -> str:
    if "full_name" in person:
        return person["full_name"]
    if "family_name" in person:
        return f"{person['given_names']} {person['family_name']}"
    return "the potential victim"


def _pronouns(p: TruePerson) -> tuple[str, str]:
    return ("he", "his") if p.gender == "male" else ("she", "her")


def _describe(p: TruePerson, day: date) -> str:
    age = age_on(p.dob, day)
    if p.gender == "male":
        noun = "boy" if age < 18 else "man"
    else:
        noun = "girl" if age < 18 else "woman"
    return f"a {age}-year-old {p.pop.renderings[0]} {noun}"


class Renderer:
    def __init__(self, cast: Cast, world: WorldPlan, rng: random.Random):
        self.cast = cast
        self.world = world
        self.rng = rng
        self.as_of = cast.as_of
        self.recent_from = self.as_of - timedelta(days=RECENT_DAYS)
        self.people = cast.people
        self.locations = cast.locations
        self.businesses = cast.businesses
        self.phone_ids = cast.phone_ids
        self.truth: list[dict] = []
        self.evidence: dict[tuple[str, str], None] = {}      # (connector id, venue id)
        self.counters: Counter[str] = Counter()
        self.place_reports: Counter[int] = Counter()          # location -> reports
        self.place_recent: Counter[int] = Counter()           # ... in the last 60 days
        self.victim_in: dict[int, list[str]] = {}
        self.offender_in: dict[int, list[str]] = {}
        self.nrm_forces: list[tuple[int, date, frozenset]] = []
        self.residences: list[tuple[int, date, str]] = []
        self.two_force_nrm: list[str] = []
        self.unlocatable: list[str] = []
        self.child_victims: dict[int, None] = {}
        self.seen: set[str] = set()                           # true ids written at least once
        self.group_types: dict[str, dict[str, None]] = {}     # group -> exploitation types reported

    # -- per report state ---------------------------------------------------------------------
    def _begin(self, kind: str, plan: Plan, prefix: str) -> str:
        self.counters[kind] += 1
        n = self.counters[kind]
        day = plan.day
        if kind == "nrm":
            src = f"NRM-{day.year}-{n:06d}"
        elif kind == "dtn":
            src = f"MS1-{day:%y%m}-{n:05d}"
        elif kind == "intel":
            src = f"{prefix}/INT/{day.year}/{n:06d}"
        else:
            src = f"{prefix}-{day.year}-{n:05d}"
        self._kind, self._src, self._day = kind, src, day
        self._n = {"p": 0, "l": 0, "b": 0, "v": 0, "a": 0}
        self._phones: dict[str, None] = {}
        self._emails: dict[str, None] = {}
        self._places: dict[int, None] = {}
        self._vehicles: dict[int, str] = {}
        self._accounts: dict[int, str] = {}
        self._links: list[dict] = []
        self._said_phone: str | None = None
        self._venue_postcode: str | None = None
        self._said_vrm: str | None = None
        return src

    def _end(self, report: dict) -> dict:
        day = self._day
        recent = day >= self.recent_from
        for idx in self._places:
            self.place_reports[idx] += 1
            if recent:
                self.place_recent[idx] += 1
        if self._links:
            report["links"] = self._links
        else:
            report["links"] = []
        if self.rng.random() < 0.6:
            when = min(self.as_of, day + timedelta(days=between(self.rng, 0, 2)))
            report["received_at"] = (f"{when.isoformat()}T{between(self.rng, 7, 19):02d}:"
                                     f"{between(self.rng, 0, 59):02d}:00Z")
        return report

    def _ref(self, kind: str) -> str:
        n = self._n[kind] + 1
        self._n[kind] = n
        return f"{kind}{n}"

    def _row(self, ref: str, rtype: str, tid: str, anonymous: bool = False) -> None:
        self.truth.append({"report_kind": self._kind, "source_ref": self._src, "record_ref": ref,
                           "record_type": rtype, "true_entity": tid, "anonymous": anonymous})

    def _link(self, a: str, kind: str, b: str) -> None:
        self._links.append({"from": a, "type": kind, "to": b})

    # -- objects ---------------------------------------------------------------------------------
    def _phone(self, e164: str) -> str:
        text = phone_text(e164, self.rng)
        if e164 not in self._phones:
            self._phones[e164] = None
            tid = self.phone_ids[e164]
            self._row(e164, "phone", tid)
            self.seen.add(tid)
        if self._said_phone is None:
            self._said_phone = text
        return text

    def _email(self, email: str) -> str:
        if email not in self._emails:
            self._emails[email] = None
            self._row(email, "email", self.cast.email_ids[email])
        return email_text(email, self.rng)

    def _location(self, idx: int, use: str | None, business_name: str | None = None) -> dict:
        loc = self.locations[idx]
        ref = self._ref("l")
        d = location_fields(loc, self.rng, {"ref": ref}, use, business_name)
        self._row(ref, "location", loc.id)
        self._places[idx] = None
        return d

    def _hub(self, idx: int) -> dict:
        loc = self.locations[idx]
        name = loc.name if loc.name and self.rng.random() < 0.85 else None
        return self._location(idx, loc.use, name)

    def _vehicle(self, idx: int) -> dict | None:
        if idx in self._vehicles:
            return None
        v = self.cast.vehicles[idx]
        ref = self._ref("v")
        d = {"ref": ref}
        d.update(vehicle_fields(v, self.rng))
        self._vehicles[idx] = ref
        self._row(ref, "vehicle", v.id)
        self.seen.add(v.id)
        if self._said_vrm is None:
            self._said_vrm = d["vrm"]
        return d

    def _account(self, idx: int) -> dict | None:
        if idx in self._accounts:
            return None
        a = self.cast.accounts[idx]
        ref = self._ref("a")
        d = {"ref": ref}
        d.update(account_fields(a, self.rng))
        self._accounts[idx] = ref
        self._row(ref, "account", a.id)
        self.seen.add(a.id)
        return d

    def _business(self, b: int, use: str | None) -> dict:
        rng = self.rng
        r = rng.random
        biz = self.businesses[b]
        ref = self._ref("b")
        d: dict = {"ref": ref, "name": biz.variants[0] if r() < 0.5 else pick(rng, biz.variants)}
        if biz.company_number and r() < 0.5:
            d["company_number"] = biz.company_number
        if r() < 0.6:
            d["venue_type"] = biz.venue_type
        listed = [ph for ph in biz.phones if r() < 0.75]
        if listed:
            d["phones"] = [self._phone(ph) for ph in listed]
            for ph in listed:
                self.evidence[(self.phone_ids[ph], biz.id)] = None
        d["address"] = self._location(biz.location, use)
        self._row(ref, "business", biz.id)
        self.seen.add(biz.id)
        return d

    def _person(self, idx: int, role: str, *, phones: float = 0.6,
                emails: float = 0.4, docs: float = 0.2, addresses: tuple = (),
                vehicles: tuple = (), accounts: tuple = (), nickname: bool = False,
                anonymous: bool = False) -> dict:
        rng = self.rng
        r = rng.random
        p = self.people[idx]
        day = self._day
        ref = self._ref("p")
        d: dict = {"ref": ref}
        if anonymous:
            if r() < 0.9:
                d["gender"] = p.gender
            if r() < 0.9:
                d["nationality"] = nationality(p, rng)
            d["age"] = age_on(p.dob, day)
            d["role"] = role
            self._row(ref, "person", p.id, True)
            self._note_role(idx, role)
            return d
        if nickname and p.aliases:
            d["full_name"] = p.aliases[0]
        else:
            name_fields(p, rng, d)
        dob = dob_field(p, rng, day)
        if dob is not None:
            d[dob[0]] = dob[1]
        if r() < 0.9:
            d["gender"] = p.gender
        if r() < 0.85:
            d["nationality"] = nationality(p, rng)
        if p.phones:
            texts = [self._phone(ph) for ph in p.phones if r() < phones]
            if texts:
                d["phones"] = texts
        if p.emails:
            mails = [self._email(e) for e in p.emails if r() < emails]
            if mails:
                d["emails"] = mails
        if addresses:
            out = []
            for loc_idx, use, link in addresses:
                a = self._hub(loc_idx) if use in BENIGN_USES and use != "safe_house" else \
                    self._location(loc_idx, use)
                out.append(a)
                if link:
                    self._link(ref, link, a["ref"])
                if use in ("residence", "safe_house") and _gives_postcode(a, self.locations[loc_idx]):
                    self.residences.append((idx, day, self.locations[loc_idx].force))
            d["addresses"] = out
        if vehicles:
            vs = [v for v in (self._vehicle(x) for x in vehicles) if v is not None]
            if vs:
                d["vehicles"] = vs
        if accounts:
            acs = [a for a in (self._account(x) for x in accounts) if a is not None]
            if acs:
                d["accounts"] = acs
        if p.document and r() < docs:
            kind, number, country = p.document
            d["documents"] = [{"type": kind, "number": number, "country": country}]
        d["role"] = role
        self._row(ref, "person", p.id)
        self._note_role(idx, role)
        return d

    def _note_role(self, idx: int, role: str) -> None:
        self.seen.add(self.people[idx].id)
        if role == "victim":
            self.victim_in.setdefault(idx, []).append(self._src)
            if self.people[idx].child:
                self.child_victims[idx] = None
        elif role in ("suspect", "exploiter"):
            self.offender_in.setdefault(idx, []).append(self._src)

    def _operates(self, plan: Plan, e: int, e_ref: str, venue: int, loc_ref: str) -> None:
        if venue in plan.group.operates.get(e, ()) or (e, venue) in plan.evidence:
            self._link(e_ref, "OPERATES_AT", loc_ref)
            self.evidence[(self.people[e].id, self.locations[venue].id)] = None

    def _types(self, plan: Plan) -> list[str]:
        """Exploitation types that fit the place (no cannabis tending at a nail bar), preferring
        what the group is known for."""
        r = self.rng.random
        group = plan.group
        venue = plan.venues[0] if plan.venues else None
        if venue is None:
            victim = plan.victim if plan.victim is not None else (
                plan.victims[0] if plan.victims else None)
            venue = group.victim_venues.get(victim, group.venues or [None])[0]
        plausible = VENUE_EXPLOITATION.get(self.locations[venue].venue_type) if venue is not None else None
        if plausible:
            candidates = [t for t in plausible if t in group.types] or [plausible[0]]
        else:
            candidates = list(group.types)
        types = [candidates[0] if r() < 0.7 else pick(self.rng, candidates)]
        if r() < 0.2:
            other = pick(self.rng, group.types)
            if other != types[0]:
                types.append(other)
        seen = self.group_types.setdefault(group.id, {})
        for t in types:
            seen[t] = None
        return types

    def _period(self, day: date) -> dict:
        rng = self.rng
        start = day - timedelta(days=between(rng, 30, 900))
        out = {"from": start.isoformat() if rng.random() < 0.7 else f"{start.year}-{start.month:02d}"}
        if rng.random() < 0.8:
            out["to"] = (day - timedelta(days=between(rng, 0, 30))).isoformat()
        return out

    def _force_text(self, code: str) -> str:
        return force_name(code) if self.rng.random() < 0.15 else code

    # -- places of exploitation as NRM/DtN locations ------------------------------------------
    def _exploitation_places(self, plan: Plan) -> tuple[list[dict], list[tuple[int, str]]]:
        rng = self.rng
        out, refs = [], []
        for x in plan.venues:
            loc = self.locations[x]
            name = None
            if loc.business is not None and rng.random() < 0.6:
                variants = self.businesses[loc.business].variants
                name = variants[0] if rng.random() < 0.5 else pick(rng, variants)
            d = self._location(x, "exploitation", name)
            out.append(d)
            refs.append((x, d["ref"]))
        return out, refs

    def _place_phrase(self, plan: Plan, places: list[dict]) -> str:
        if not places:
            return "an address the victim could not give"
        d = places[0]
        loc = self.locations[plan.venues[0]]
        where = d.get("business_name") or d.get("address") or ", ".join(d.get("lines", ()))
        if "postcode" in d and self.rng.random() < 0.7:
            where = f"{where} ({d['postcode']})"
        if loc.venue_type:
            where = f"{where}, {_WORK[loc.venue_type]}"
        return where

    # -- the four kinds ------------------------------------------------------------------------
    def nrm(self, plan: Plan) -> dict:
        return self._victim_report(plan, "nrm")

    def dtn(self, plan: Plan) -> dict:
        return self._victim_report(plan, "dtn")

    def _victim_report(self, plan: Plan, kind: str) -> dict:
        rng = self.rng
        r = rng.random
        people = self.people
        src = self._begin(kind, plan, "")
        day = plan.day
        v = people[plan.victim]
        places, place_refs = self._exploitation_places(plan)
        addresses = ()
        hub_phrase = ""
        if plan.hub is not None:
            hub = self.locations[plan.hub]
            link = "LIVES_AT" if hub.use in ("safe_house", "immigration_centre") else None
            addresses = ((plan.hub, hub.use, link),)
            hub_phrase = _HUB_PHRASES[hub.use].format(hub.name)
        anonymous = plan.anonymous
        victim = self._person(plan.victim, "victim", phones=0.6, docs=0.3, emails=0.5,
                              addresses=addresses, anonymous=anonymous)
        if kind == "nrm":
            victim["is_child"] = v.child
            if not v.child:
                victim["consent"] = True
        elif not anonymous:
            victim["consent"] = False
        vref = victim["ref"]
        for x, lref in place_refs:
            self._link(vref, "EXPLOITED_AT", lref)
        if place_refs and self.locations[place_refs[0][0]].venue_type in LIVE_IN and r() < 0.5:
            self._link(vref, "LIVES_AT", place_refs[0][1])
        group = plan.group
        if not anonymous and group.phones:
            work = [ph for ph in v.phones if ph in group.phones]
            if work and r() < 0.5:
                self._link(vref, "USES_PHONE", self._phone(work[0]))
        exploiters = []
        names = []
        for e in plan.exploiters:
            pe = people[e]
            nick = bool(pe.aliases) and r() < 0.15
            vehicles = tuple(pe.vehicles[:1]) if pe.vehicles and r() < 0.15 else ()
            accounts = tuple(pe.accounts[:1]) if pe.accounts and r() < 0.12 else ()
            d = self._person(e, "exploiter", phones=0.4, emails=0.1, docs=0.03, nickname=nick,
                             vehicles=vehicles, accounts=accounts)
            exploiters.append(d)
            names.append(display(d))
            eref = d["ref"]
            self._link(eref, "EXPLOITS", vref)
            for x, lref in place_refs:
                self._operates(plan, e, eref, x, lref)
            if pe.phones and r() < 0.3:
                self._link(eref, "USES_PHONE", self._phone(pick(rng, pe.phones)))
            if r() < 0.3:
                self._link(eref, "RECRUITED", vref)
            if vehicles and r() < 0.6:
                self._link(eref, "TRANSPORTED", vref)
            for a in accounts:
                if r() < 0.6:
                    self._link(vref, "PAID_INTO", self._accounts[a])
        types = self._types(plan)
        exploitation = {"types": types}
        exploitation.update(self._period(day))
        exploitation["locations"] = places
        forces = frozenset(self.locations[x].force for x in plan.venues)
        if kind == "nrm":
            self.nrm_forces.append((plan.victim, day, forces))
            if len(forces) >= 2:
                self.two_force_nrm.append(src)
        # narrative
        pron, pos = _pronouns(v)
        who = _describe(v, day) if anonymous else display(victim)
        boss = names[0] if names else "a man known only by a nickname"
        abuse = _ABUSE[types[0]]
        if plan.unlocatable:
            phone = f" on {self._said_phone}" if self._said_phone else ""
            obj = "him" if pron == "he" else "her"
            narrative = (f"{who[0].upper()}{who[1:]} told a support worker {pron} was {abuse} by "
                         f"{boss}, who contacted {obj}{phone}. "
                         f"{pron.capitalize()} could not say where {pron} had been held.")
        else:
            place = self._place_phrase(plan, places)
            x = r()
            if x < 0.35:
                narrative = (f"{who[0].upper()}{who[1:]} was found at {place}. {pron.capitalize()} "
                             f"said {boss} kept {pos} passport and {pos} wages and that {pron} was "
                             f"{abuse}.{hub_phrase}")
            elif x < 0.7:
                narrative = (f"Potential victim {who} disclosed being {abuse} at {place}. "
                             f"{pron.capitalize()} owes a debt of £{between(rng, 5, 40) * 1000:,} "
                             f"to {boss} for travel to the UK.{hub_phrase}")
            else:
                phone = f" Contact with the controllers was via {self._said_phone}." \
                    if self._said_phone else ""
                narrative = (f"{who[0].upper()}{who[1:]} was recovered during a warrant at "
                             f"{place} and had been living on site, not allowed to leave.{phone}"
                             f"{hub_phrase}")
        force = self.locations[plan.venues[0]].force if plan.venues else group.planned_forces[0]
        report: dict = {"kind": kind, "source_ref": src, "reported_at": day.isoformat()}
        if kind == "nrm":
            report["first_responder"] = self._first_responder(force, v.child)
        else:
            report["notifying_authority"] = self._notifier(force)
        report["narrative"] = narrative
        report["victim"] = victim
        report["exploitation"] = exploitation
        report["exploiters"] = exploiters
        if kind == "nrm":
            report["decision"] = self._decision(day)
        if kind == "dtn" and plan.unlocatable and not self._places:
            self.unlocatable.append(src)
        return self._end(report)

    def _first_responder(self, force: str, child: bool) -> dict:
        rng = self.rng
        x = rng.random()
        if child and x < 0.3:
            town = pick(rng, _towns(force))
            return {"organisation": f"{council(town, rng)} Children's Services",
                    "type": "local_authority",
                    "force": self._force_text(force)}
        if x < 0.4:
            return {"organisation": force_name(force), "type": "police",
                    "force": self._force_text(force)}
        if x < 0.65:
            out = {"organisation": pick(rng, NGOS), "type": "ngo"}
        elif x < 0.8:
            out = {"organisation": council(pick(rng, _towns(force)), rng), "type": "local_authority"}
        elif x < 0.92:
            out = {"organisation": pick(rng, HOME_OFFICE), "type": "home_office"}
        elif x < 0.97:
            out = {"organisation": pick(rng, BORDER_FORCE), "type": "border_force"}
        else:
            out = {"organisation": "Gangmasters and Labour Abuse Authority", "type": "other"}
        if rng.random() < 0.5:
            out["force"] = self._force_text(force)
        return out

    def _notifier(self, force: str) -> dict:
        rng = self.rng
        x = rng.random()
        if x < 0.6:
            out = {"organisation": force_name(force)}
            out["force"] = self._force_text(force)
            return out
        if x < 0.85:
            out = {"organisation": pick(rng, HOME_OFFICE)}
        else:
            out = {"organisation": council(pick(rng, _towns(force)), rng)}
        if rng.random() < 0.6:
            out["force"] = self._force_text(force)
        return out

    def _decision(self, day: date) -> dict:
        rng = self.rng
        x = rng.random()
        rg = "positive" if x < 0.7 else "negative" if x < 0.8 else "pending"
        out = {"reasonable_grounds": rg}
        if rg == "positive":
            y = rng.random()
            out["conclusive_grounds"] = "positive" if y < 0.4 else "negative" if y < 0.5 else "pending"
        if rg != "pending":
            when = min(self.as_of, day + timedelta(days=between(rng, 5, 60)))
            out["date"] = when.isoformat()
        return out

    # -- intelligence and referrals share their object lists ---------------------------------------
    def _subjects(self, plan: Plan, *, offender_role: str | None = None) -> tuple[list[dict], dict]:
        """Subjects (people) and a map person index -> ref."""
        rng = self.rng
        r = rng.random
        people = self.people
        subjects: list[dict] = []
        refs: dict[int, str] = {}
        homes = dict(plan.homes)
        for e in plan.exploiters:
            pe = people[e]
            addresses = ((homes[e], "residence", "LIVES_AT"),) if e in homes else ()
            vehicles = tuple(x for x in pe.vehicles if r() < 0.2)
            accounts = tuple(x for x in pe.accounts if r() < 0.15)
            role = offender_role or ("suspect" if r() < 0.5 else "exploiter")
            d = self._person(e, role, phones=0.7, emails=0.5, docs=0.2, addresses=addresses,
                             vehicles=vehicles, accounts=accounts)
            subjects.append(d)
            refs[e] = d["ref"]
        lead = refs.get(plan.exploiters[0]) if plan.exploiters else None
        for a in plan.associates:
            if a in refs:
                continue
            d = self._person(a, "associate", phones=0.8, emails=0.4, docs=0.1)
            subjects.append(d)
            refs[a] = d["ref"]
            if lead:
                self._link(d["ref"], "ASSOCIATE_OF", lead)
        for s in plan.suspects:
            if s in refs:
                continue
            d = self._person(s, "suspect", phones=0.7, docs=0.2)
            subjects.append(d)
            refs[s] = d["ref"]
            if lead:
                self._link(d["ref"], "ASSOCIATE_OF", lead)
        for v in plan.victims:
            if v in refs:
                continue
            d = self._person(v, "victim", phones=0.5, docs=0.2)
            subjects.append(d)
            refs[v] = d["ref"]
            if lead:
                self._link(lead, "EXPLOITS", d["ref"])
        if len(plan.exploiters) > 1:
            self._link(refs[plan.exploiters[1]], "ASSOCIATE_OF", refs[plan.exploiters[0]])
        return subjects, refs

    def _venues(self, plan: Plan, refs: dict[int, str], *, business_rate: float,
                top_accounts: list[dict]) -> tuple[list[dict], list[dict], list[tuple[int, str]]]:
        """Locations and businesses for the plan's venues; OPERATES_AT / OWNS / PAID_INTO links."""
        rng = self.rng
        r = rng.random
        locations: list[dict] = []
        businesses: list[dict] = []
        place_refs: list[tuple[int, str]] = []
        for x in plan.venues:
            loc = self.locations[x]
            use = "exploitation" if r() < 0.5 else ("workplace" if r() < 0.6 else None)
            if loc.business is not None and r() < business_rate:
                biz = self.businesses[loc.business]
                d = self._business(loc.business, use)
                businesses.append(d)
                lref = d["address"]["ref"]
                if biz.owner is not None and biz.owner in refs:
                    self._link(refs[biz.owner], "OWNS", d["ref"])
                if biz.account is not None and r() < 0.35:
                    acct = self._account(biz.account)
                    if acct is not None:
                        top_accounts.append(acct)
                    self._link(d["ref"], "PAID_INTO", self._accounts[biz.account])
                    self.evidence[(self.cast.accounts[biz.account].id, biz.id)] = None
            else:
                name = None
                if loc.business is not None:
                    variants = self.businesses[loc.business].variants
                    name = variants[0] if r() < 0.5 else pick(rng, variants)
                d = self._location(x, use, name)
                locations.append(d)
                lref = d["ref"]
            place_refs.append((x, lref))
            if self._venue_postcode is None:
                self._venue_postcode = (d["address"] if "address" in d and isinstance(
                    d["address"], dict) else d).get("postcode")
            for e in plan.exploiters:
                self._operates(plan, e, refs[e], x, lref)
            for v in plan.victims:
                if v in refs and x in plan.group.victim_venues.get(v, ()):
                    self._link(refs[v], "WORKS_AT", lref)
        return locations, businesses, place_refs

    def _extras(self, plan: Plan, refs: dict[int, str], phones: list[str], vehicles: list[dict],
                *, phone_rate: float, vehicle_rate: float) -> None:
        rng = self.rng
        group = plan.group
        lead = refs.get(plan.exploiters[0]) if plan.exploiters else None
        if group.phones and rng.random() < phone_rate:
            ph = pick(rng, group.phones)
            text = self._phone(ph)
            phones.append(text)
            if lead:
                self._link(lead, "USES_PHONE", text)
        if group.vehicles and rng.random() < vehicle_rate:
            idx = pick(rng, group.vehicles)
            d = self._vehicle(idx)
            if d is not None:
                vehicles.append(d)
            users = [e for e in plan.exploiters if idx in self.people[e].vehicles]
            if users:
                self._link(refs[users[0]], "USES_VEHICLE", self._vehicles[idx])
                for v in plan.victims:
                    if v in refs and rng.random() < 0.5:
                        self._link(refs[users[0]], "TRANSPORTED", refs[v])

    def intel(self, plan: Plan) -> dict:
        rng = self.rng
        r = rng.random
        cast = self.cast
        force = self.locations[plan.venues[0]].force if plan.venues else plan.group.planned_forces[0]
        if r() < 0.12:
            force = pick(rng, FORCES_USED)
        src = self._begin("intel", plan, force_abbreviation(force))
        subjects, refs = self._subjects(plan)
        accounts: list[dict] = []
        locations, businesses, _ = self._venues(plan, refs, business_rate=0.85,
                                                top_accounts=accounts)
        if plan.hub is not None:
            locations.append(self._hub(plan.hub))
        phones: list[str] = []
        vehicles: list[dict] = []
        self._extras(plan, refs, phones, vehicles, phone_rate=0.35, vehicle_rate=0.35)
        # narrative: names, a phone, a postcode and a VRM written in free text too
        who = display(subjects[0]) if subjects else "An unknown male"
        place = (businesses[0]["name"] if businesses else
                 (locations[0].get("address") or ", ".join(locations[0].get("lines", ())))
                 if locations else "an address not yet identified")
        pc = f" ({self._venue_postcode})" if self._venue_postcode and r() < 0.8 else ""
        bits = []
        if self._said_phone and r() < 0.8:
            bits.append(f"The group is believed to use {self._said_phone} to arrange shifts.")
        if self._said_vrm and r() < 0.8:
            veh = vehicles[0] if vehicles else None
            car = f"{veh.get('colour', '')} {veh.get('make', 'vehicle')}".strip() if veh else "vehicle"
            bits.append(f"A {car} {self._said_vrm} is seen dropping workers off early each morning.")
        x = r()
        if x < 0.4:
            lead = f"Intelligence suggests that {who} is controlling workers at {place}{pc}."
        elif x < 0.7:
            lead = (f"Source reports that {who} runs {place}{pc}; workers live on the premises "
                    f"and are paid in cash.")
        else:
            lead = f"Information received that {who} is linked to exploitation at {place}{pc}."
        if plan.suspects:
            s = cast.people[plan.suspects[0]]
            bits.append(f"{s.given_ascii} {s.family_ascii} was arrested at the address and is "
                        f"believed to be working under the control of the group.")
        if plan.hub is not None and self.locations[plan.hub].use == "police_station":
            bits.append(f"Subject was later interviewed at {self.locations[plan.hub].name}.")
        x = r()
        src_grade = "1" if x < 0.25 else "2" if x < 0.8 else "3"
        y = r()
        intel_grade = "A" if y < 0.1 else "B" if y < 0.45 else "C" if y < 0.8 else "D" if y < 0.95 else "E"
        grading = {"source": src_grade, "intelligence": intel_grade, "handling": "P"}
        if r() < 0.15:
            grading["handling"] = "C"
            grading["conditions"] = pick(rng, CONDITIONS)
        report: dict = {
            "kind": "intel", "source_ref": src, "reported_at": plan.day.isoformat(),
            "submitted_by": {"force": self._force_text(force), "unit": pick(rng, UNITS)},
            "grading": grading,
            "narrative": " ".join([lead] + bits),
            "subjects": subjects,
            "locations": locations,
            "businesses": businesses,
            "phones": phones,
            "vehicles": vehicles,
            "accounts": accounts,
        }
        return self._end(report)

    def referral(self, plan: Plan) -> dict:
        rng = self.rng
        r = rng.random
        group = plan.group
        if plan.relocation:
            return self._relocation_referral(plan)
        venue_type = self.locations[plan.venues[0]].venue_type if plan.venues else "private_house"
        partners = PARTNERS_BY_VENUE[_VENUE_GROUP.get(venue_type, "house")]
        ptype = rng.choices([p for p, _ in partners], weights=[w for _, w in partners])[0]
        force = self.locations[plan.venues[0]].force if plan.venues else group.planned_forces[0]
        org = _partner_org(ptype, force, rng)
        src = self._begin("referral", plan, _partner_prefix(ptype, org))
        subjects, refs = self._subjects(plan, offender_role="suspect")
        accounts: list[dict] = []
        locations, businesses, _ = self._venues(plan, refs, business_rate=0.7, top_accounts=accounts)
        if plan.hub is not None:
            locations.append(self._hub(plan.hub))
        phones: list[str] = []
        vehicles: list[dict] = []
        if not plan.unlocatable:
            self._extras(plan, refs, phones, vehicles, phone_rate=0.4, vehicle_rate=0.25)
        else:
            known = group.phones or [ph for e in plan.exploiters for ph in self.people[e].phones]
            if known:
                phones.append(self._phone(pick(rng, known)))
        if ptype == "bank" and group.accounts:
            idx = pick(rng, group.accounts)
            acct = self._account(idx)
            if acct is not None:
                accounts.append(acct)
            for v in plan.victims:
                if v in refs:
                    self._link(refs[v], "PAID_INTO", self._accounts[idx])
        child = any(self.people[v].child for v in plan.victims)
        types = self._types(plan)
        who = display(subjects[0]) if subjects else "Workers"
        if plan.unlocatable:
            phone = f" A contact number given was {phones[0]}." if phones else ""
            narrative = (f"{who} was described by a caller as being {_ABUSE[types[0]]}. "
                         f"No address or area is known.{phone}")
        else:
            place = (businesses[0]["name"] if businesses else
                     (locations[0].get("address") or ", ".join(locations[0].get("lines", ())))
                     if locations else "the premises")
            pc = f" ({self._venue_postcode})" if self._venue_postcode and r() < 0.7 else ""
            narrative = _REFERRAL_TEXT.get(ptype, _REFERRAL_TEXT["other"]).format(
                place=place, pc=pc, who=who, abuse=_ABUSE[types[0]], type=types[0])
            if plan.hub is not None:
                hub = self.locations[plan.hub]
                narrative += _REFERRAL_HUB_PHRASES[hub.use].format(hub.name)
        report: dict = {
            "kind": "referral", "source_ref": src, "reported_at": plan.day.isoformat(),
            "partner": {"organisation": org, "type": ptype},
            "urgency": "immediate" if child or r() < 0.25 else "routine",
            "child_involved": child,
            "concern_types": types,
            "narrative": narrative,
            "subjects": subjects,
            "locations": locations,
            "businesses": businesses,
            "phones": phones,
            "vehicles": vehicles,
            "accounts": accounts,
        }
        if plan.unlocatable and not self._places:
            self.unlocatable.append(src)
        return self._end(report)

    def _relocation_referral(self, plan: Plan) -> dict:
        rng = self.rng
        victim, home, to_force = plan.relocation
        ptype = "local_authority" if rng.random() < 0.6 else "ngo"
        org = _partner_org(ptype, to_force, rng, town=self.locations[home].town)
        src = self._begin("referral", plan, _partner_prefix(ptype, org))
        d = self._person(victim, "victim", phones=0.8, docs=0.3,
                         addresses=((home, "residence", "LIVES_AT"),))
        p = self.people[victim]
        types = self._types(plan)
        narrative = (f"{display(d)} has moved into new accommodation in {self.locations[home].town} "
                     f"after leaving NRM support. Support worker requests a safeguarding review "
                     f"because {_pronouns(p)[0]} was previously {_ABUSE[types[0]]}.")
        report = {
            "kind": "referral", "source_ref": src, "reported_at": plan.day.isoformat(),
            "partner": {"organisation": org, "type": ptype},
            "urgency": "immediate" if p.child else "routine",
            "child_involved": p.child,
            "concern_types": types,
            "narrative": narrative,
            "subjects": [d],
            "locations": [], "businesses": [], "phones": [], "vehicles": [], "accounts": [],
        }
        return self._end(report)

    def render(self) -> list[dict]:
        out = []
        dispatch = {"nrm": self.nrm, "dtn": self.dtn, "intel": self.intel,
                    "referral": self.referral}
        for plan in self.world.plans:
            out.append(dispatch[plan.kind](plan))
        return out


def _gives_postcode(d: dict, loc) -> bool:
    """Whether a location mention says its postcode (in the field or inside the address)."""
    if "postcode" in d:
        return True
    return loc.postcode.replace(" ", "") in d.get("address", "").upper().replace(" ", "")


_TOWN_CACHE: dict[str, tuple[str, ...]] = {}


def _towns(force: str) -> tuple[str, ...]:
    towns = _TOWN_CACHE.get(force)
    if towns is None:
        towns = tuple(dict.fromkeys(d.town for d in DISTRICTS_BY_FORCE[force]))
        _TOWN_CACHE[force] = towns
    return towns


def council(town: str, rng: random.Random) -> str:
    if town == "London":
        return pick(rng, LONDON_COUNCILS)
    return f"{town} City Council" if town in CITY_COUNCILS else f"{town} Council"


def _partner_org(ptype: str, force: str, rng: random.Random, town: str | None = None) -> str:
    if ptype == "ngo":
        return pick(rng, NGOS)
    if ptype == "local_authority":
        return council(town or pick(rng, _towns(force)), rng)
    if ptype == "hse":
        return "Health and Safety Executive"
    if ptype == "dwp":
        return "Department for Work and Pensions"
    if ptype == "glaa":
        return "Gangmasters and Labour Abuse Authority"
    if ptype == "bank":
        return pick(rng, BANK_TEAMS)
    if ptype == "crimestoppers":
        return "Crimestoppers"
    if ptype == "force":
        return pick(rng, ("British Transport Police", force_name(force)))
    return pick(rng, ("Modern Slavery and Exploitation Helpline", "NHS Safeguarding Team"))


def _partner_prefix(ptype: str, org: str) -> str:
    return {"ngo": "NGO", "local_authority": "LA", "hse": "HSE", "dwp": "DWP", "glaa": "GLAA",
            "bank": "FIN", "crimestoppers": "CS", "force": "FOR"}.get(ptype, "REF")
