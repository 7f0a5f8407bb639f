"""Hand-made report payloads in the FORMATS.md shapes, one per kind, to vary per test."""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def nrm() -> dict:
    """A Vietnamese man exploited at a hand car wash in Aston, Birmingham (B6), two exploiters."""
    return json.loads((FIXTURES / "nrm_carwash.json").read_text(encoding="utf-8"))


def dtn() -> dict:
    return {
        "kind": "dtn", "source_ref": "DTN-77", "reported_at": "2026-02-01",
        "notifying_authority": {"organisation": "Home Office Immigration Enforcement",
                                "force": "Greater Manchester Police"},
        "victim": {"gender": "woman", "nationality": "Vietnamese", "age": 24},
        "exploitation": {"types": ["sexual"], "locations": [
            {"address": "Flat 2, 10 High Street", "town": "Manchester", "postcode": "M14 5AB",
             "venue_type": "nail_bar", "business_name": "Star Nails"}]},
        "exploiters": [{"full_name": "Tran Van Long", "phones": ["07400 123456"]}],
    }


def intel() -> dict:
    return {
        "kind": "intel", "source_ref": "INT-1001", "reported_at": "2026-03-01",
        "submitted_by": {"force": "west-midlands", "unit": "FIB"},
        "grading": {"source": "2", "intelligence": "B", "handling": "C",
                    "conditions": "Do not disseminate outside policing"},
        "narrative": "Subjects seen together at the car wash.",
        "subjects": [
            {"ref": "s1", "full_name": "Gëzim Hoxha", "role": "suspect", "dob": "12/05/1985",
             "phones": ["07911 123456"]},
            {"ref": "s2", "full_name": "Ana Popescu", "role": "victim", "nationality": "RO"},
        ],
        "phones": ["07911 123456", "07123 456789"],
        "vehicles": [{"ref": "veh1", "vrm": "AB12 CDE", "make": "BMW"}],
        "locations": [{"ref": "loc1", "address": "14 Lichfield Road", "town": "Birmingham",
                       "postcode": "B6 5RQ"}],
        "businesses": [{"name": "Sparkle Hand Car Wash Ltd", "company_number": "1234567",
                        "address": {"ref": "loc1"}, "phones": ["0121 496 0000"]}],
        "links": [{"from": "s1", "type": "USES_VEHICLE", "to": "veh1"},
                  {"from": "s2", "type": "USES_PHONE", "to": "07400 123456"}],
    }


def referral() -> dict:
    return {
        "kind": "referral", "source_ref": "REF-55", "reported_at": "2026-03-05",
        "partner": {"organisation": "Salvation Army", "type": "ngo"},
        "urgency": "immediate", "child_involved": True, "concern_types": ["criminal", "labour"],
        "subjects": [
            {"ref": "c1", "full_name": "Tom Lee", "role": "victim", "age": 16},
            {"ref": "a1", "full_name": "Mark Grey", "role": "suspect",
             "addresses": [{"address": "3 Mill Lane", "postcode": "LS9 8AB", "use": "workplace"}]},
        ],
        "accounts": [{"sort_code": "11-22-33", "account_number": "12345678", "bank": "Lloyds"}],
    }


def variant(payload: dict, **changes) -> dict:
    p = copy.deepcopy(payload)
    p.update(changes)
    return p
