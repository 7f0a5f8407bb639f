"""The planted facts (`planted.json`) and the court orders (`orders.csv`).

Every figure here is read back from what was actually written (the renderer's notes), so a test
or a benchmark can rely on it exactly. All ids are true entity ids (as in truth.csv).

- `ocgs`: each organised crime group with the forces of its venues (`cross_border` when two or
  more), its exploiters, victims, associates, venues (location and business ids), shared phones,
  vehicles, accounts, and the exploitation types its reports give. Lone cases (one exploiter,
  one victim, one private place) are not groups and are not listed.
- `linked_venues`: [venue_a, venue_b, connector] when the reports tie one connector to both:
  a person by OPERATES_AT links to both locations, a phone listed by both businesses, or an
  account both businesses are PAID_INTO.
- `benign_hubs`: {true_entity, use, force, name, reports}: police stations, hospitals, charity
  offices (local), safe houses, removal centres, ports (national); every hub is mentioned in
  more reports than any venue once a world has a few hundred reports.
- `repeat_locations`: venues whose reports were moved into the last `recent_days` (60) days;
  `reports_in_last_60_days` counts reports dated as_of - 60 days .. as_of naming the place, and
  is higher than the same count for every other place that is not a benign hub.
- `section45`: people who are a victim in one report and a suspect or exploiter in another.
- `child_victims`: victims under 18 throughout the reporting window.
- `relocated_victims`: a victim's NRM gives exploitation places in one force (`from_force`) and a
  later report gives them a residence or safe house, with a postcode, in another (`to_force`).
- `under_order`: people with a Slavery and Trafficking Prevention/Risk Order (see orders.csv),
  each named in intelligence dated after the order was made.
- `routing.two_force_nrm`: NRMs whose places of exploitation lie in two or more forces;
  `routing.unlocatable`: Duty to Notify reports and referrals with no location at all (and no
  postcode in the narrative).
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

from linkage.generate.cast import Cast
from linkage.generate.plans import RECENT_DAYS, WorldPlan
from linkage.generate.render import Renderer, force_abbreviation


def planted_facts(cast: Cast, world: WorldPlan, r: Renderer, as_of: date) -> dict:
    people, locations, businesses = cast.people, cast.locations, cast.businesses
    seen = r.seen
    ocgs = []
    linked: list[list[str]] = []
    touches: dict[str, list[str]] = {}
    for connector, venue in r.evidence:
        touches.setdefault(connector, []).append(venue)
    for g in world.groups:
        if g.lone:
            continue
        venue_ids = [locations[v].id for v in g.venues if r.place_reports[v]]
        venue_ids += [businesses[locations[v].business].id for v in g.venues
                      if locations[v].business is not None
                      and businesses[locations[v].business].id in seen]
        forces = list(dict.fromkeys(locations[v].force for v in g.venues if r.place_reports[v]))
        phones = [cast.phone_ids[ph] for ph in g.phones if cast.phone_ids[ph] in seen]
        accounts = [cast.accounts[a].id for a in g.accounts if cast.accounts[a].id in seen]
        exploiters = [people[e].id for e in g.exploiters if people[e].id in seen]
        ocgs.append({
            "id": g.id,
            "forces": forces,
            "cross_border": len(forces) >= 2,
            "exploiters": exploiters,
            "victims": [people[v].id for v in g.victims if v in r.victim_in],
            "associates": [people[a].id for a in g.associates if people[a].id in seen],
            "venues": venue_ids,
            "phones": phones,
            "vehicles": [cast.vehicles[v].id for v in g.vehicles if cast.vehicles[v].id in seen],
            "accounts": accounts,
            "exploitation_types": list(r.group_types.get(g.id, {})),
        })
        # venues linked through one connector the reports tie to both
        venue_set = set(venue_ids)
        for connector in exploiters + phones + accounts:
            touched = [v for v in touches.get(connector, ()) if v in venue_set]
            for a, b in combinations(sorted(dict.fromkeys(touched)), 2):
                linked.append([a, b, connector])
    hubs = [{"true_entity": locations[h].id, "use": locations[h].use, "force": locations[h].force,
             "name": locations[h].name, "reports": r.place_reports[h]}
            for h in world.hubs if r.place_reports[h]]
    repeat = [{"true_entity": locations[v].id, "force": locations[v].force,
               "reports_in_last_60_days": r.place_recent[v]} for v in world.repeat_venues]
    section45 = [people[i].id for i, victim_reports in r.victim_in.items()
                 if i in r.offender_in and set(r.offender_in[i]) - set(victim_reports)]
    residences: dict[int, list[tuple[date, str]]] = {}
    for person, day, force in r.residences:
        residences.setdefault(person, []).append((day, force))
    relocated: dict[int, dict] = {}
    for person, day, forces in sorted(r.nrm_forces, key=lambda t: t[1]):
        if person in relocated or len(forces) != 1 or person not in residences:
            continue
        (home_force,) = forces
        for later, force in sorted(residences[person]):
            if later > day and force != home_force:
                relocated[person] = {"true_entity": people[person].id, "from_force": home_force,
                                     "to_force": force}
                break
    return {
        "as_of": as_of.isoformat(),
        "recent_days": RECENT_DAYS,
        "reports": dict(sorted(r.counters.items())),
        "ocgs": ocgs,
        "linked_venues": linked,
        "benign_hubs": hubs,
        "repeat_locations": repeat,
        "section45": section45,
        "child_victims": [people[i].id for i in r.child_victims],
        "relocated_victims": list(relocated.values()),
        "under_order": [people[o.person].id for o in world.orders],
        "routing": {"two_force_nrm": r.two_force_nrm, "unlocatable": r.unlocatable},
    }


def order_rows(cast: Cast, world: WorldPlan) -> list[dict]:
    """Orders as a court records them: names in capitals or 'FAMILY, Given' form, no diacritics,
    the full date of birth."""
    rows = []
    for i, o in enumerate(world.orders, start=1):
        p = cast.people[o.person]
        if p.pop.family_first:
            full_name = f"{p.family_ascii.upper()} {p.given_ascii}"
        elif i % 2:
            full_name = f"{p.given_ascii} {p.family_ascii.upper()}"
        else:
            full_name = f"{p.family_ascii.upper()}, {p.given_ascii}"
        rows.append({
            "order_ref": f"{o.order_type}/{force_abbreviation(o.force)}/{o.made_on.year}/{i:04d}",
            "order_type": o.order_type,
            "full_name": full_name,
            "dob": p.dob.isoformat(),
            "force": o.force,
            "made_on": o.made_on.isoformat(),
            "expires_on": o.expires_on.isoformat(),
        })
    return rows
