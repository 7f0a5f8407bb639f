"""Hand-written referrals in the FORMATS.md shapes, each built for one routing behaviour.

Postcodes are real districts: B5 (Birmingham, West Midlands), M1 (Manchester, Greater
Manchester), LS9 (Leeds, West Yorkshire), NG1 (Nottingham), CT1 (Canterbury, Kent).
"""

from __future__ import annotations

import copy

RESPONDER = {"organisation": "Hestia", "type": "ngo"}


def two_force_nrm(source_ref: str = "NRM-TWO-1") -> dict:
    """A woman exploited at a nail bar in Birmingham and a massage parlour in Manchester."""
    return {
        "kind": "nrm", "source_ref": source_ref, "reported_at": "2026-09-01",
        "received_at": "2026-09-02T09:00:00Z",
        "first_responder": dict(RESPONDER),
        "victim": {"ref": "v1", "full_name": "Tran Thi Mai", "dob": "1998-04-02", "gender": "female",
                   "nationality": "Vietnamese", "consent": True},
        "exploitation": {"types": ["sexual"], "from": "2026-03-01", "to": "2026-08-20", "locations": [
            {"ref": "l1", "address": "12 Hurst Street", "town": "Birmingham", "postcode": "B5 4TD",
             "venue_type": "nail_bar", "use": "exploitation"},
            {"ref": "l2", "address": "40 Oxford Road", "town": "Manchester", "postcode": "M1 5QA",
             "venue_type": "massage_parlour", "use": "exploitation"}]},
        "exploiters": [{"ref": "x1", "full_name": "Bogdan Marinescu", "dob": "1980-01-15",
                        "phones": ["07700 900461"]}],
    }


def exploited_then_relocated() -> tuple[dict, dict]:
    """An NRM referral (exploited in Nottingham), then the local authority's referral after the
    victim was moved through the NRM to Leeds: her address is now in West Yorkshire."""
    first = {
        "kind": "nrm", "source_ref": "NRM-REL-1", "reported_at": "2026-06-01",
        "received_at": "2026-06-02T10:00:00Z",
        "first_responder": {"organisation": "Nottingham City Council", "type": "local_authority"},
        "victim": {"ref": "v1", "full_name": "Ioana Dumitrescu", "dob": "2001-11-23",
                   "gender": "female", "nationality": "Romanian", "consent": True,
                   "addresses": [{"address": "5 Carrington Street", "postcode": "NG1 7FF",
                                  "use": "residence"}]},
        "exploitation": {"types": ["labour"], "locations": [
            {"ref": "l1", "address": "Unit 4, 20 Sneinton Market", "postcode": "NG1 1DT",
             "venue_type": "factory", "use": "exploitation"}]},
    }
    later = {
        "kind": "referral", "source_ref": "LA-REL-2", "reported_at": "2026-08-15",
        "received_at": "2026-08-15T16:00:00Z",
        "partner": {"organisation": "Leeds City Council", "type": "local_authority"},
        "urgency": "routine", "concern_types": ["labour"],
        "subjects": [{"ref": "v1", "full_name": "Ioana Dumitrescu", "dob": "2001-11-23",
                      "gender": "female", "nationality": "Romanian", "role": "victim",
                      "addresses": [{"address": "22 Harehills Lane", "postcode": "LS9 6JE",
                                     "use": "residence"}]}],
    }
    return first, later


def unlocatable_dtn() -> dict:
    """A Duty to Notify naming a farm by a description only: no postcode, no force."""
    return {
        "kind": "dtn", "source_ref": "DTN-NOWHERE-1", "reported_at": "2026-09-03",
        "notifying_authority": {"organisation": "Home Office Immigration Enforcement"},
        "victim": {"gender": "male", "nationality": "Albanian", "age": 30},
        "exploitation": {"types": ["labour"], "locations": [
            {"address": "a farm somewhere near the coast", "venue_type": "farm"}]},
    }


def placeless_referral() -> dict:
    """A partner referral with people and a phone but no place at all."""
    return {
        "kind": "referral", "source_ref": "CS-EMPTY-1", "reported_at": "2026-09-04",
        "partner": {"organisation": "Crimestoppers", "type": "crimestoppers"},
        "urgency": "routine", "concern_types": ["sexual"],
        "subjects": [{"ref": "s1", "full_name": "Ardit Kola", "role": "suspect"}],
        "phones": ["07700 900777"],
    }


def child_referral() -> dict:
    """A partner referral about a 15-year-old in county lines, place in Canterbury."""
    return {
        "kind": "referral", "source_ref": "REF-CHILD-1", "reported_at": "2026-09-05",
        "received_at": "2026-09-05T08:00:00Z",
        "partner": {"organisation": "Kent County Council", "type": "local_authority"},
        "urgency": "routine", "child_involved": True, "concern_types": ["criminal"],
        "subjects": [{"ref": "c1", "full_name": "Jayden Price", "age": 15, "role": "victim"}],
        "locations": [{"ref": "p1", "address": "8 St Peters Street", "postcode": "CT1 2BQ",
                       "use": "exploitation", "venue_type": "private_house"}],
        "links": [{"from": "c1", "type": "EXPLOITED_AT", "to": "p1"}],
    }


def changed(payload: dict, **fields) -> dict:
    p = copy.deepcopy(payload)
    p.update(fields)
    return p
