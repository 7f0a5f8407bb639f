"""Enumerations from FORMATS.md, declared once.

The store schema, the API schema and the CLI choices are derived from these, so a new value is
added here and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum


class ReportKind(StrEnum):
    NRM = "nrm"
    DTN = "dtn"
    INTEL = "intel"
    REFERRAL = "referral"


class RecordType(StrEnum):
    PERSON = "person"
    LOCATION = "location"
    BUSINESS = "business"
    PHONE = "phone"
    EMAIL = "email"
    VEHICLE = "vehicle"
    ACCOUNT = "account"


# Resolved fuzzily; the others resolve by their canonical value.
FUZZY_TYPES = (RecordType.PERSON, RecordType.LOCATION, RecordType.BUSINESS)
EXACT_TYPES = (RecordType.PHONE, RecordType.EMAIL, RecordType.VEHICLE, RecordType.ACCOUNT)


class Role(StrEnum):
    # people
    VICTIM = "victim"
    SUSPECT = "suspect"
    EXPLOITER = "exploiter"
    ASSOCIATE = "associate"
    WITNESS = "witness"
    REFERRER = "referrer"
    UNKNOWN = "unknown"
    # places and things
    EXPLOITATION = "exploitation"
    RESIDENCE = "residence"
    WORKPLACE = "workplace"
    SAFE_HOUSE = "safe_house"
    VENUE = "venue"
    CONTACT = "contact"
    MENTIONED = "mentioned"
    SUBJECT = "subject"
    OTHER = "other"


PERSON_ROLES = (Role.VICTIM, Role.SUSPECT, Role.EXPLOITER, Role.ASSOCIATE, Role.WITNESS,
                Role.REFERRER, Role.UNKNOWN)
OFFENDER_ROLES = (Role.SUSPECT, Role.EXPLOITER)


class VenueType(StrEnum):
    CAR_WASH = "car_wash"
    NAIL_BAR = "nail_bar"
    MASSAGE_PARLOUR = "massage_parlour"
    BROTHEL = "brothel"
    CONSTRUCTION_SITE = "construction_site"
    FARM = "farm"
    FACTORY = "factory"
    WAREHOUSE = "warehouse"
    TAKEAWAY = "takeaway"
    RESTAURANT = "restaurant"
    HOTEL = "hotel"
    PRIVATE_HOUSE = "private_house"
    CANNABIS_FARM = "cannabis_farm"
    OTHER = "other"


class LocationUse(StrEnum):
    EXPLOITATION = "exploitation"
    RESIDENCE = "residence"
    WORKPLACE = "workplace"
    SAFE_HOUSE = "safe_house"
    POLICE_STATION = "police_station"
    IMMIGRATION_CENTRE = "immigration_centre"
    CHARITY_OFFICE = "charity_office"
    HOSPITAL = "hospital"
    PORT = "port"
    HOTEL = "hotel"
    OTHER = "other"


# Places where victims are met, housed or interviewed: they recur because the system works, not
# because exploitation happens there. Excluded from repeat-location scans and network projections.
BENIGN_USES = frozenset({
    LocationUse.SAFE_HOUSE, LocationUse.POLICE_STATION, LocationUse.IMMIGRATION_CENTRE,
    LocationUse.CHARITY_OFFICE, LocationUse.HOSPITAL, LocationUse.PORT,
})


class ExploitationType(StrEnum):
    SEXUAL = "sexual"
    LABOUR = "labour"
    CRIMINAL = "criminal"
    DOMESTIC_SERVITUDE = "domestic_servitude"
    ORGAN_HARVESTING = "organ_harvesting"


class LinkType(StrEnum):
    EXPLOITS = "EXPLOITS"
    EXPLOITED_AT = "EXPLOITED_AT"
    RECRUITED = "RECRUITED"
    TRANSPORTED = "TRANSPORTED"
    ASSOCIATE_OF = "ASSOCIATE_OF"
    LIVES_AT = "LIVES_AT"
    WORKS_AT = "WORKS_AT"
    OPERATES_AT = "OPERATES_AT"
    OWNS = "OWNS"
    USES_PHONE = "USES_PHONE"
    USES_EMAIL = "USES_EMAIL"
    USES_VEHICLE = "USES_VEHICLE"
    PAID_INTO = "PAID_INTO"
    HOLDS_ACCOUNT = "HOLDS_ACCOUNT"
    REFERRED_BY = "REFERRED_BY"
    MENTIONED_WITH = "MENTIONED_WITH"


class SourceEvaluation(StrEnum):
    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelligenceAssessment(StrEnum):
    A = "A"  # known directly
    B = "B"  # known indirectly, corroborated
    C = "C"  # known indirectly
    D = "D"  # not known
    E = "E"  # suspected false


class HandlingCode(StrEnum):
    P = "P"  # lawful sharing permitted
    C = "C"  # sharing with conditions, which travel with the item


class ResponderType(StrEnum):
    POLICE = "police"
    NGO = "ngo"
    LOCAL_AUTHORITY = "local_authority"
    HOME_OFFICE = "home_office"
    BORDER_FORCE = "border_force"
    OTHER = "other"


class PartnerType(StrEnum):
    NGO = "ngo"
    LOCAL_AUTHORITY = "local_authority"
    HSE = "hse"
    DWP = "dwp"
    GLAA = "glaa"
    BANK = "bank"
    CRIMESTOPPERS = "crimestoppers"
    FORCE = "force"
    OTHER = "other"


class Urgency(StrEnum):
    IMMEDIATE = "immediate"
    ROUTINE = "routine"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    RESIDENCE_PERMIT = "residence_permit"
    OTHER = "other"


class Decision(StrEnum):
    SAME = "same"
    NOT_SAME = "not-same"


def grading_rank(source: str | None, intelligence: str | None) -> int:
    """Order 3x5x2 gradings so that "at least B2" style filters are a comparison.

    1A is the strongest (rank 0); ungraded material ranks below everything graded.
    """
    s = {"1": 0, "2": 1, "3": 2}.get(source or "", 3)
    i = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}.get((intelligence or "").upper(), 5)
    return s * 6 + i
