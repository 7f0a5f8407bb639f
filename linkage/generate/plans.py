"""What each report will be about, decided before any report is written.

Planning first (a light `Plan` per report) lets the planted facts be exact: how often each venue
and each hub is mentioned is known before hubs are sized, repeat-location bursts are made by
moving whole reports into the last 60 days, and orders are dated before the intelligence that
should raise an alert.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from linkage.generate.cast import Cast
from linkage.generate.geography import FORCE_WEIGHTS, FORCES_USED, NATIONAL_HUBS
from linkage.generate.populations import GENERAL, LONE_VICTIMS, PROFILES, Profile
from linkage.generate.sampling import between, pick

SPAN_DAYS = 540
RECENT_DAYS = 60
REPORTS_PER_GROUP = 150
CHILD_RATE = 0.15
KIND_SHARES = (("nrm", 0.35), ("dtn", 0.15), ("intel", 0.30), ("referral", 0.20))
LOCAL_HUB_USES = ("police_station", "hospital", "police_station", "charity_office")
_STATION_NAMES = ("Central", "North", "South", "East", "West", "Road")
_SAINTS = ("Mary", "James", "George", "Luke")
_CHARITIES = ("The Salvation Army", "Migrant Help", "Hestia", "City Hearts", "Medaille Trust",
              "Snowdrop Project")


@dataclass(slots=True, eq=False)
class Group:
    """An organised crime group (or, when `lone`, a single exploiter and victim)."""

    id: str
    profile: Profile
    lone: bool
    exploiters: list[int] = field(default_factory=list)
    victims: list[int] = field(default_factory=list)
    associates: list[int] = field(default_factory=list)
    venues: list[int] = field(default_factory=list)          # location indexes
    phones: list[str] = field(default_factory=list)          # shared phones (E.164)
    vehicles: list[int] = field(default_factory=list)
    accounts: list[int] = field(default_factory=list)
    types: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    operates: dict[int, list[int]] = field(default_factory=dict)     # exploiter -> venues
    victim_venues: dict[int, list[int]] = field(default_factory=dict)  # victim -> venues
    planned_forces: list[str] = field(default_factory=list)          # primary force first


@dataclass(slots=True, eq=False)
class Plan:
    """One report to be written: its kind, day, and which true people and places it names."""

    kind: str
    group: Group
    day: date
    victim: int | None = None                 # the NRM/DtN victim
    victims: list[int] = field(default_factory=list)      # victims named as subjects
    exploiters: list[int] = field(default_factory=list)
    associates: list[int] = field(default_factory=list)
    suspects: list[int] = field(default_factory=list)     # section 45: victims as suspects
    venues: list[int] = field(default_factory=list)
    homes: list[tuple[int, int]] = field(default_factory=list)   # (person, location)
    evidence: list[tuple[int, int]] = field(default_factory=list)  # (exploiter, venue)
    hub_wanted: bool = False
    hub: int | None = None
    anonymous: bool = False
    unlocatable: bool = False
    relocation: tuple[int, int, str] | None = None   # (victim, residence, to_force)
    pinned: bool = False                     # the date anchors another fact: never move it

    def place_ids(self) -> list[int]:
        out = list(self.venues)
        out.extend(h for _, h in self.homes)
        if self.relocation:
            out.append(self.relocation[1])
        return out


@dataclass(slots=True)
class Order:
    person: int
    order_type: str
    force: str
    made_on: date
    expires_on: date


@dataclass(slots=True)
class WorldPlan:
    groups: list[Group]
    plans: list[Plan]
    hubs: list[int]
    repeat_venues: list[int]
    section45: list[int]
    orders: list[Order]


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split `total` proportionally to `weights`, handing out the remainder at random."""
    w = sum(weights)
    out = [int(total * x / w) for x in weights]
    for i in rng.sample(range(len(weights)), k=len(weights))[: total - sum(out)]:
        out[i] += 1
    return out


def _weighted_force(rng: random.Random, exclude: tuple[str, ...] = ()) -> str:
    forces = [f for f in FORCES_USED if f not in exclude]
    return rng.choices(forces, weights=[FORCE_WEIGHTS[f] for f in forces])[0]


def _some(rng: random.Random, seq: list[int], k: int) -> list[int]:
    """One or two distinct elements (fewer if the sequence is shorter)."""
    first = pick(rng, seq)
    if k == 1 or len(seq) == 1:
        return [first]
    second = pick(rng, seq)
    while second == first:
        second = pick(rng, seq)
    return [first, second]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=between(rng, 0, (end - start).days))


class Planner:
    def __init__(self, cast: Cast, reports: int):
        self.cast = cast
        self.rng = cast.rng
        self.n = reports
        self.as_of = cast.as_of
        self.first_day = self.as_of - timedelta(days=SPAN_DAYS - 1)
        self.venue_load: Counter[int] = Counter()
        self._profiles: list[Profile] = []

    def _next_profile(self) -> Profile:
        """Every kind of group appears once before any appears twice."""
        if not self._profiles:
            self._profiles = list(PROFILES)
            self.rng.shuffle(self._profiles)
        return self._profiles.pop()

    # -- the whole plan ----------------------------------------------------------------------------
    def plan(self) -> WorldPlan:
        rng = self.rng
        totals = _split(self.n, [s for _, s in KIND_SHARES], rng) if self.n else [0, 0, 0, 0]
        totals = dict(zip((k for k, _ in KIND_SHARES), totals))
        lone = {"nrm": round(totals["nrm"] * 0.08), "dtn": round(totals["dtn"] * 0.06),
                "intel": round(totals["intel"] * 0.03), "referral": round(totals["referral"] * 0.05)}
        if self.n < 40:
            lone = dict.fromkeys(lone, 0)
        organised = {k: totals[k] - lone[k] for k in totals}
        n_groups = max(1, round(self.n / REPORTS_PER_GROUP))
        weights = [rng.uniform(0.5, 1.6) for _ in range(n_groups)]
        shares = {k: _split(v, weights, rng) for k, v in organised.items()}
        groups: list[Group] = []
        plans: list[Plan] = []
        for i in range(n_groups):
            counts = {k: shares[k][i] for k in shares}
            if not any(counts.values()):
                continue
            # the second group always crosses a force boundary, so small worlds have one too
            g = self._group(f"OCG{i + 1:03d}", counts, weights[i], cross_border=i == 1)
            groups.append(g)
            plans.extend(self._group_plans(g, counts))
        plans.extend(self._lone_cases(lone, len(groups)))
        self._relocations(plans)
        section45 = self._section45(groups, plans)
        repeat = self._bursts(groups, plans)
        orders = self._orders(groups, plans)
        hubs = self._hubs(plans)
        plans.sort(key=lambda p: p.day)
        return WorldPlan(groups, plans, hubs, repeat, section45, orders)

    # -- organised crime groups --------------------------------------------------------------------
    def _group(self, gid: str, counts: dict[str, int], weight: float,
               cross_border: bool = False) -> Group:
        rng, cast = self.rng, self.cast
        profile = self._next_profile()
        g = Group(gid, profile, lone=False, types=profile.exploitation)
        length = between(rng, 120, SPAN_DAYS)
        g.start = self.first_day + timedelta(days=between(rng, 0, SPAN_DAYS - length))
        g.end = min(self.as_of, g.start + timedelta(days=length - 1))
        total = sum(counts.values())
        n_venues = max(1, min(7, 2 + round(weight * 2) + between(rng, -1, 1)))
        if total < 6:
            n_venues = 1
        elif cross_border:
            n_venues = max(n_venues, 2)
        forces = [_weighted_force(rng)]
        if n_venues >= 2 and (cross_border or rng.random() < 0.3):
            forces.append(_weighted_force(rng, tuple(forces)))
            if n_venues >= 3 and rng.random() < 0.3:
                forces.append(_weighted_force(rng, tuple(forces)))
        g.planned_forces = forces
        for i in range(n_venues):
            force = forces[i] if i < len(forces) else (
                forces[0] if rng.random() < 0.7 else pick(rng, forces))
            vt = pick(rng, profile.venue_types)
            loc = cast.location(force, "exploitation", venue_type=vt)
            cast.business(loc, vt)
            g.venues.append(loc)
        # exploiters
        n_exp = max(2, min(6, 2 + round(weight * 1.5) + between(rng, 0, 1))) if total >= 6 else 1
        for _ in range(n_exp):
            pop = profile.exploiters[0] if rng.random() < 0.8 else pick(rng, profile.exploiters)
            p = cast.person(pop, "male" if rng.random() < 0.8 else "female", min_age=22, max_age=58,
                            year_only_rate=0.08, alias_rate=0.6)
            cast.equip_person(p, phones=1 + (rng.random() < 0.4), foreign_rate=0.3,
                              email_rate=0.3, document_rate=0.2)
            if rng.random() < 0.7:
                cast.people[p].home = cast.location(forces[0], "residence")
            g.exploiters.append(p)
        # shared phones, vehicles, accounts
        n_biz = sum(1 for v in g.venues if cast.locations[v].business is not None)
        n_phones = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
        g.phones = [cast.phone("drama") for _ in range(max(1, min(n_phones, n_biz - 1)))]
        for ph in g.phones:
            for e in rng.sample(g.exploiters, k=min(len(g.exploiters), between(rng, 2, 3))):
                cast.people[e].phones.append(ph)
        g.vehicles = [cast.vehicle() for _ in range(between(rng, 1, 3))]
        for v in g.vehicles:
            for e in rng.sample(g.exploiters, k=min(len(g.exploiters), between(rng, 1, 2))):
                cast.people[e].vehicles.append(v)
        g.accounts = [cast.account() for _ in range(between(rng, 1, 2))]
        for a in g.accounts:
            cast.people[pick(rng, g.exploiters)].accounts.append(a)
        biz_i = 0
        for v in g.venues:
            b = cast.locations[v].business
            if b is None:
                continue
            biz = cast.businesses[b]
            biz.phones.append(g.phones[biz_i % len(g.phones)])
            if rng.random() < 0.3:
                biz.phones.append(cast.phone())
            biz.account = g.accounts[biz_i % len(g.accounts)]
            biz.owner = pick(rng, g.exploiters)
            biz_i += 1
        # who operates where: every venue has someone; the lead covers every force
        for e in g.exploiters:
            g.operates[e] = rng.sample(g.venues, k=min(len(g.venues), between(rng, 1, 3)))
        lead = g.exploiters[0]
        for f in forces:
            if not any(cast.locations[v].force == f for v in g.operates[lead]):
                g.operates[lead].append(next(v for v in g.venues if cast.locations[v].force == f))
        for v in g.venues:
            if not any(v in vs for vs in g.operates.values()):
                g.operates[pick(rng, g.exploiters)].append(v)
        # associates
        for _ in range(between(rng, 0, 3) if total >= 6 else 0):
            pop = pick(rng, GENERAL) if rng.random() < 0.5 else profile.exploiters[0]
            a = cast.person(pop, "male" if rng.random() < 0.7 else "female", min_age=20,
                            max_age=60, alias_rate=0.2)
            cast.equip_person(a, phones=1, foreign_rate=0.2, email_rate=0.2, document_rate=0.1)
            g.associates.append(a)
        # victims
        n_victim_plans = counts["nrm"] + counts["dtn"]
        n_victims = max(1, round(n_victim_plans / rng.uniform(1.3, 1.9)))
        per_venue: Counter[int] = Counter()
        # groups differ (county lines recruit children), the overall mix stays near 15%
        child_rate = (profile.child_rate + CHILD_RATE) / 2
        n_children = min(n_victims - 1, int(n_victims * child_rate + rng.random()))
        children = set(rng.sample(range(1, n_victims), k=n_children))  # the first is an adult
        for i in range(n_victims):
            child = i in children
            self._victim(g, child, per_venue)
        return g

    def _victim(self, g: Group, child: bool, per_venue: Counter) -> int:
        rng, cast = self.rng, self.cast
        profile = g.profile
        gender = "female" if rng.random() < profile.female_rate else "male"
        if child:
            v = cast.person(pick(rng, profile.victims), gender, min_age=14, max_age=16, child=True,
                            alias_rate=0.05)
        else:
            v = cast.person(pick(rng, profile.victims), gender, min_age=20,
                            max_age=pick(rng, (25, 30, 45)), year_only_rate=0.25, alias_rate=0.08)
        cast.equip_person(v, phones=1 if rng.random() < 0.5 else 0, foreign_rate=0.4,
                          email_rate=0.05, document_rate=0.25)
        if rng.random() < 0.25 and g.phones:
            cast.people[v].phones.append(pick(rng, g.phones))   # the "work phone"
        a, b = pick(rng, g.venues), pick(rng, g.venues)
        first = a if per_venue[a] <= per_venue[b] else b
        venues = [first]
        forces = {cast.locations[x].force for x in g.venues}
        if len(forces) > 1 and rng.random() < 0.3:
            others = [x for x in g.venues if cast.locations[x].force != cast.locations[first].force]
            venues.append(pick(rng, others))
        for x in venues:
            per_venue[x] += 1
        g.victims.append(v)
        g.victim_venues[v] = venues
        return v

    def _pick_venue(self, candidates: list[int]) -> int:
        a, b = pick(self.rng, candidates), pick(self.rng, candidates)
        return a if self.venue_load[a] <= self.venue_load[b] else b

    def _mention(self, plan: Plan) -> Plan:
        for v in plan.venues:
            self.venue_load[v] += 1
        return plan

    def _group_plans(self, g: Group, counts: dict[str, int]) -> list[Plan]:
        rng, cast = self.rng, self.cast
        plans: list[Plan] = []
        people = cast.people
        # victims: children first, so every child has an NRM (DtN is for adults only)
        order = sorted(g.victims, key=lambda v: (not people[v].child, rng.random()))
        adults = [v for v in g.victims if not people[v].child]
        operators_at: dict[int, set[int]] = {v: set() for v in g.venues}
        for e, vs in g.operates.items():
            for v in vs:
                operators_at[v].add(e)
        victims_at: dict[int, list[int]] = {v: [] for v in g.venues}
        for x in g.victims:
            for v in g.victim_venues[x]:
                victims_at[v].append(x)
        kinds = ["nrm"] * counts["nrm"] + ["dtn"] * counts["dtn"]
        n_unloc_dtn = round(counts["dtn"] * 0.04)
        for j, kind in enumerate(kinds):
            v = order[j] if j < len(order) else pick(rng, g.victims)
            if kind == "dtn" and people[v].child:
                v = pick(rng, adults)
            venues = list(g.victim_venues[v])
            if len(venues) == 1 and len(g.venues) > 1 and rng.random() < 0.15:
                other = pick(rng, g.venues)
                if other not in venues and cast.locations[other].force == cast.locations[venues[0]].force:
                    venues.append(other)
            near = operators_at[venues[0]].union(*(operators_at[x] for x in venues[1:]))
            ops = [e for e in g.exploiters if e in near] or g.exploiters
            exploiters = _some(rng, ops, 1 + (rng.random() < 0.4))
            p = Plan(kind, g, _day(rng, g.start, g.end), victim=v, exploiters=exploiters,
                     venues=venues)
            if kind == "dtn":
                p.anonymous = rng.random() < 0.7
                if j - counts["nrm"] < n_unloc_dtn:
                    p.unlocatable = True
                    p.venues = []
            p.hub_wanted = not p.unlocatable and not p.anonymous
            plans.append(self._mention(p))
        # intelligence: first make sure every (exploiter, venue) pair is reported once
        pending = [(e, v) for e in g.exploiters for v in g.operates[e]]
        rng.shuffle(pending)
        for j in range(counts["intel"]):
            if j < len(pending):
                e, v = pending[j]
            else:
                e = pick(rng, g.exploiters)
                v = self._pick_venue(g.operates[e])
            exploiters = [e]
            if len(g.exploiters) > 1 and rng.random() < 0.4:
                other = pick(rng, g.exploiters)
                if other != e:
                    exploiters.append(other)
            venues = [v]
            if rng.random() < 0.3:
                w = pick(rng, g.operates[e])
                if w != v:
                    venues.append(w)
            p = Plan("intel", g, _day(rng, g.start, g.end), exploiters=exploiters, venues=venues,
                     evidence=[(e, v)])
            if g.associates and rng.random() < 0.3:
                p.associates.append(pick(rng, g.associates))
            if rng.random() < 0.2:
                at = victims_at[v]
                if at:
                    p.victims.append(pick(rng, at))
            for x in exploiters:
                home = people[x].home
                if home is not None and rng.random() < 0.3:
                    p.homes.append((x, home))
            p.hub_wanted = rng.random() < 0.25
            plans.append(self._mention(p))
        n_unloc_ref = round(counts["referral"] * 0.04)
        for j in range(counts["referral"]):
            v = self._pick_venue(g.venues)
            p = Plan("referral", g, _day(rng, g.start, g.end), venues=[v])
            at = victims_at[v] or g.victims
            if rng.random() < 0.6:
                p.victims = _some(rng, at, 1 + (rng.random() < 0.3))
            ops = [e for e in g.exploiters if e in operators_at[v]]
            if ops and (rng.random() < 0.4 or not p.victims):
                p.exploiters.append(pick(rng, ops))
            if j < n_unloc_ref:
                p.unlocatable = True
                p.venues = []
                if not p.victims:
                    p.victims = [pick(rng, g.victims)]
            p.hub_wanted = not p.unlocatable and rng.random() < 0.4
            plans.append(self._mention(p))
        return plans

    # -- lone cases: one exploiter, one victim, one private place ------------------------------------
    def _lone_cases(self, budget: dict[str, int], offset: int) -> list[Plan]:
        rng, cast = self.rng, self.cast
        plans: list[Plan] = []
        budget = dict(budget)
        i = 0
        profile = Profile("lone", ("GB",), LONE_VICTIMS, ("private_house",),
                          ("domestic_servitude",), 0.0, 0.75)
        while any(budget.values()):
            i += 1
            g = Group(f"LONE{i:04d}", profile, lone=True)
            force = _weighted_force(rng)
            g.planned_forces = [force]
            labour = rng.random() < 0.3
            vt = pick(rng, ("takeaway", "farm", "car_wash")) if labour else "private_house"
            g.types = ("labour",) if labour else ("domestic_servitude",)
            venue = cast.location(force, "exploitation", venue_type=vt)
            g.venues = [venue]
            victim_pop = pick(rng, LONE_VICTIMS)
            e = cast.person(victim_pop if rng.random() < 0.6 else "GB",
                            "female" if rng.random() < 0.5 else "male", min_age=28, max_age=65,
                            alias_rate=0.1)
            cast.equip_person(e, phones=1, email_rate=0.2, document_rate=0.1)
            b = cast.business(venue, vt)
            if b is not None:
                cast.businesses[b].owner = e
                cast.businesses[b].phones.append(cast.phone())
            g.exploiters = [e]
            g.operates = {e: [venue]}
            v = cast.person(victim_pop, "female" if rng.random() < 0.75 else "male", min_age=20,
                            max_age=50, year_only_rate=0.3)
            cast.equip_person(v, phones=1 if rng.random() < 0.4 else 0, foreign_rate=0.5,
                              document_rate=0.2)
            g.victims = [v]
            g.victim_venues = {v: [venue]}
            start = self.first_day + timedelta(days=between(rng, 0, SPAN_DAYS - 1))
            g.start, g.end = start, min(self.as_of, start + timedelta(days=60))
            kinds = []
            if budget["nrm"]:
                kinds.append("nrm")
            for k in ("dtn", "referral", "intel"):
                if budget[k] and (not kinds or rng.random() < 0.4):
                    kinds.append(k)
            for k in kinds:
                budget[k] -= 1
                p = Plan(k, g, _day(rng, g.start, g.end), exploiters=[e], venues=[venue])
                if k in ("nrm", "dtn"):
                    p.victim = v
                    p.anonymous = k == "dtn" and rng.random() < 0.7
                    p.hub_wanted = not p.anonymous
                elif k == "referral":
                    p.victims = [v]
                    p.hub_wanted = rng.random() < 0.4
                else:
                    p.evidence = [(e, venue)]
                plans.append(self._mention(p))
        return plans

    # -- planted facts -----------------------------------------------------------------------------
    def _relocations(self, plans: list[Plan]) -> None:
        """Some victims move to another force after their NRM; a later referral from a partner
        there gives their new residence."""
        rng, cast = self.rng, self.cast
        free: dict[str, list[Plan]] = {}
        for p in plans:
            if p.kind == "referral" and not p.group.lone and not p.unlocatable:
                free.setdefault(p.group.id, []).append(p)
        anchors = [p for p in plans if p.kind == "nrm" and not p.group.lone
                   and len({cast.locations[v].force for v in p.venues}) == 1
                   and p.day <= self.as_of - timedelta(days=30)]
        rng.shuffle(anchors)
        want = max(1, round(len(anchors) * 0.04)) if anchors else 0
        done: set[int] = set()
        for nrm in anchors:
            if want == 0:
                break
            pool = free.get(nrm.group.id)
            if not pool or nrm.victim in done:
                continue
            later = pool.pop()
            group_forces = {cast.locations[v].force for v in nrm.group.venues}
            to_force = _weighted_force(rng, tuple(group_forces))
            home = cast.location(to_force, "residence")
            later.victims, later.exploiters, later.venues = [nrm.victim], [], []
            later.relocation = (nrm.victim, home, to_force)
            later.hub_wanted = False
            later.day = nrm.day + timedelta(days=between(rng, 14, 29))
            later.day = min(self.as_of, later.day + timedelta(days=between(rng, 0, 150)))
            later.pinned = nrm.pinned = True
            done.add(nrm.victim)
            want -= 1

    def _section45(self, groups: list[Group], plans: list[Plan]) -> list[int]:
        """Victims of criminal exploitation who are later reported as suspects."""
        rng, cast = self.rng, self.cast
        named: set[int] = {p.victim for p in plans if p.kind == "nrm" and p.victim is not None}
        intel: dict[str, list[Plan]] = {}
        for p in plans:
            if p.kind == "intel":
                intel.setdefault(p.group.id, []).append(p)
        candidates = [g for g in groups if intel.get(g.id)]
        candidates.sort(key=lambda g: ("criminal" not in g.types, rng.random()))
        out: list[int] = []
        for g in candidates[: max(1, round(len(groups) / 4))]:
            victims = [v for v in g.victims if v in named and not cast.people[v].child]
            if not victims:
                continue
            v = pick(rng, victims)
            for p in rng.sample(intel[g.id], k=min(len(intel[g.id]), between(rng, 1, 2))):
                p.suspects.append(v)
            out.append(v)
        return out

    def _bursts(self, groups: list[Group], plans: list[Plan]) -> list[int]:
        """Move whole reports about a few venues into the last 60 days, so those venues recur
        there more than any other non-benign place. Only reports that name no other place move,
        so no other place's count changes."""
        rng = self.rng
        recent_from = self.as_of - timedelta(days=RECENT_DAYS)
        recent: Counter[int] = Counter()
        movable: dict[int, list[Plan]] = {v: [] for g in groups for v in g.venues}
        for p in plans:
            places = p.place_ids()
            if p.day >= recent_from:
                for x in set(places):
                    recent[x] += 1
            elif not p.pinned and len(set(places)) == 1 and places[0] in movable:
                movable[places[0]].append(p)
        baseline = max(recent.values(), default=0)
        wanted = max(1, len(groups) // 10) if groups else 0
        candidates = sorted(movable, key=lambda v: (-len(movable[v]), rng.random()))
        out = []
        for v in candidates:
            if len(out) == wanted:
                break
            need = max(baseline + between(rng, 3, 5), 5) - recent[v]
            if need > len(movable[v]):
                continue
            for p in rng.sample(movable[v], k=need):
                p.day = self.as_of - timedelta(days=between(rng, 0, RECENT_DAYS - 15))
            recent[v] += need
            out.append(v)
        return out

    def _orders(self, groups: list[Group], plans: list[Plan]) -> list[Order]:
        """Slavery and Trafficking Prevention/Risk Orders on exploiters who are still reported."""
        rng, cast = self.rng, self.cast
        first_intel: dict[int, date] = {}
        for p in plans:
            if p.kind == "intel":
                for e in p.exploiters:
                    if e not in first_intel or p.day < first_intel[e]:
                        first_intel[e] = p.day
        candidates = [(g, e) for g in groups for e in g.exploiters if e in first_intel]
        orders = []
        for g, e in rng.sample(candidates, k=min(len(candidates), max(1, round(len(groups) / 6)))):
            person = cast.people[e]
            person.year_only = False  # the court records a full date of birth
            made_on = first_intel[e] - timedelta(days=between(rng, 30, 700))
            years = pick(rng, (5, 5, 7, 10))
            expires_on = made_on + timedelta(days=365 * years + years // 4)
            kind = "STPO" if rng.random() < 0.7 else "STRO"
            orders.append(Order(e, kind, cast.locations[g.venues[0]].force, made_on, expires_on))
        return orders

    # -- benign hubs -------------------------------------------------------------------------------
    def _hubs(self, plans: list[Plan]) -> list[int]:
        """Police stations, hospitals and charity offices in busy forces; safe houses, removal
        centres and ports used nationally. Sized from the venue load, and balanced, so that every
        hub is mentioned in more reports than any venue (when the world has enough reports)."""
        rng, cast = self.rng, self.cast
        load: Counter[int] = Counter()
        for p in plans:
            for v in set(p.venues):
                load[v] += 1
        most = max(load.values(), default=0)
        target = max(most + most // 2 + 1, 6)
        by_force: dict[str, list[Plan]] = {}
        for p in plans:
            if p.hub_wanted:
                by_force.setdefault(self._plan_force(p), []).append(p)
        national: list[Plan] = []
        hubs: list[int] = []
        for force, ps in by_force.items():
            groups = {p.group.id for p in ps if not p.group.lone}
            # local hubs only where victims of several groups pass through
            local = ([p for p in ps if rng.random() < 0.6]
                     if len(ps) >= 2 * target and len(groups) >= 2 else [])
            if len(local) < target:
                local = []
            local_ids = {id(p) for p in local}
            national.extend(p for p in ps if id(p) not in local_ids)
            if not local:
                continue
            made = [self._hub(force, LOCAL_HUB_USES[i % len(LOCAL_HUB_USES)])
                    for i in range(len(local) // target)]
            rng.shuffle(local)
            for i, p in enumerate(local):        # round robin: every hub gets >= target
                p.hub = made[i % len(made)]
            hubs.extend(made)
        if not national:
            return hubs
        made = []
        n_hubs = max(1, len(national) // target)
        fixed = list(NATIONAL_HUBS)
        rng.shuffle(fixed)
        for name, use, district, street, number in fixed[: n_hubs // 4]:
            made.append(cast.location("", use, name=name, district=district, street=street,
                                      number=number))
        while len(made) < n_hubs:
            made.append(self._hub(_weighted_force(rng), "safe_house"))
        # A victim rehoused in a safe house usually stays there: later reports name it again.
        assigned: dict[int, list[Plan]] = {h: [] for h in made}
        safe_house_of: dict[int, int] = {}
        national.sort(key=lambda p: p.day)
        cycle = 0
        for p in national:
            person = p.victim if p.victim is not None else (p.victims[0] if p.victims else None)
            h = safe_house_of.get(person) if person is not None else None
            if h is None or rng.random() < 0.2:
                h = made[cycle % n_hubs]
                cycle += 1
                if person is not None and cast.locations[h].use == "safe_house":
                    safe_house_of[person] = h
            p.hub = h
            assigned[h].append(p)
        # repair: move reports from the busiest hubs to any hub not yet above the venue maximum
        for h in made:
            while len(assigned[h]) <= most:
                donor = max(made, key=lambda x: len(assigned[x]))
                if len(assigned[donor]) <= most + 1:
                    break
                p = assigned[donor].pop()
                p.hub = h
                assigned[h].append(p)
        hubs.extend(made)
        return hubs

    def _plan_force(self, p: Plan) -> str:
        cast = self.cast
        if p.venues:
            return cast.locations[p.venues[0]].force
        if p.homes:
            return cast.locations[p.homes[0][1]].force
        return p.group.planned_forces[0]

    def _hub(self, force: str, use: str) -> int:
        rng, cast = self.rng, self.cast
        loc = cast.location(force, use)
        town = cast.locations[loc].town
        if use == "police_station":
            name = f"{town} {pick(rng, _STATION_NAMES)} Police Station"
        elif use == "hospital":
            name = pick(rng, (f"{town} General Hospital", f"{town} Royal Infirmary",
                              f"St {pick(rng, _SAINTS)}'s Hospital, {town}"))
        elif use == "charity_office":
            name = f"{pick(rng, _CHARITIES)} {town} office"
        else:
            name = None  # safe house addresses carry no name
        cast.locations[loc].name = name
        return loc
