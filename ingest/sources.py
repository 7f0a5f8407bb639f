"""Source models: the four report kinds and their shared objects, as FORMATS.md names them.

Validation only: types, enumerations, size caps, the few cross-field rules (handling code C needs
conditions) and force names mapped to codes. Normalisation (names, dates of birth, phones,
addresses ...) happens in `ingest/build.py`, which knows where each value sits in the report and
so can name the field when a value cannot be read.

Every model keeps unknown fields (`extra="allow"`); the whole payload is stored as the report's
raw text anyway, so nothing a source sent is dropped.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints,
    ValidationError, model_validator,
)

from linkage.errors import UserError
from linkage.model import (
    PERSON_ROLES, DocumentType, ExploitationType, HandlingCode, IntelligenceAssessment, LinkType,
    LocationUse, PartnerType, ReportKind, ResponderType, SourceEvaluation, Urgency, VenueType,
    force_code,
)

# -- size caps (one place; messages come from pydantic: "String should have at most 200 characters")
MAX_NAME = 200
MAX_SHORT = 100
MAX_TEXT = 1_000
MAX_NARRATIVE = 100_000
MAX_ITEMS = 500

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME)]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME)]
Short = Annotated[str, StringConstraints(max_length=MAX_SHORT)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Narrative = Annotated[str, StringConstraints(max_length=MAX_NARRATIVE)]


def _items(t: Any) -> Any:
    return Annotated[list[t], Field(default_factory=list, max_length=MAX_ITEMS)]


class InvalidReport(UserError):
    """A report that cannot be ingested: the field (a JSON path such as `subjects[0].dob`) and why.

    `errors` holds every (field, reason) found; `field` and `reason` are the first of them.
    """

    code = "invalid_report"
    http_status = 422

    def __init__(self, field: str, reason: str, *, errors: list[tuple[str, str]] | None = None):
        self.field = field
        self.reason = reason
        self.errors = errors or [(field, reason)]
        where = f"{field}: " if field else ""
        super().__init__(f"{where}{reason}", details={"errors": [
            {"field": f, "reason": r} for f, r in self.errors]})


def field_path(loc: tuple) -> str:
    """('subjects', 0, 'dob') -> 'subjects[0].dob'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after[_force()]", "function-before[_date()]"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def from_validation_error(exc: ValidationError) -> InvalidReport:
    errors = []
    for e in exc.errors(include_url=False, include_context=False, include_input=False):
        reason = e["msg"]
        if reason.startswith("Value error, "):
            reason = reason[len("Value error, "):]
        path = field_path(e["loc"])
        if reason.startswith("handling code C"):
            path = f"{path}.conditions" if path else "conditions"
        errors.append((path, reason))
    first_field, first_reason = errors[0]
    return InvalidReport(first_field, first_reason, errors=errors)


# -- validators used once per report (never on hot per-item fields) ----------------------------

def _force(value: str) -> str:
    code = force_code(value)
    if code is None:
        raise ValueError(f"unknown police force {value!r}: give a force code such as "
                         "'west-midlands' or a force name such as 'West Midlands Police'")
    return code


Force = Annotated[Short, AfterValidator(_force)]


def _date(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return text[:10]  # ISO date or timestamp: pydantic parses the date part
        from ingest.normalise import parse_date

        parsed = parse_date(text)
        if parsed is None:
            raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or DD/MM/YYYY)")
        return parsed
    return value


ReportDate = Annotated[date, BeforeValidator(_date)]


def _upper_str(value: Any) -> Any:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip().upper()
    return value


PersonRole = StrEnum("PersonRole", {r.name: r.value for r in PERSON_ROLES})


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True, populate_by_name=True)


# -- shared objects ----------------------------------------------------------------------------

class Document(_Model):
    type: DocumentType = DocumentType.OTHER
    number: Short
    country: Short | None = None


class Location(_Model):
    ref: Ref | None = None
    address: Text | None = None
    lines: _items(Text)
    postcode: Short | None = None
    town: Short | None = None
    country: Short | None = None
    venue_type: VenueType | None = None
    business_name: Name | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    use: LocationUse | None = None

    def is_reference(self) -> bool:
        """Only a `ref`: this names a location described elsewhere in the same report."""
        return (self.ref is not None and not self.address and not self.lines and not self.postcode
                and not self.town and self.lat is None and self.lon is None
                and not self.business_name)


class Vehicle(_Model):
    ref: Ref | None = None
    vrm: Short | None = None
    make: Short | None = None
    model: Short | None = None
    colour: Short | None = None


class Account(_Model):
    ref: Ref | None = None
    sort_code: Short | None = None
    account_number: Short | None = None
    iban: Short | None = None
    bank: Name | None = None


class Business(_Model):
    ref: Ref | None = None
    name: Name | None = None
    company_number: Short | None = None
    venue_type: VenueType | None = None
    phones: _items(Short)
    emails: _items(Short)
    address: Location | None = None


class Person(_Model):
    ref: Ref | None = None
    full_name: Name | None = None
    given_names: Name | None = None
    family_name: Name | None = None
    aliases: _items(Name)
    dob: Short | None = None
    age: int | None = Field(default=None, ge=0, le=120)
    gender: Short | None = None
    nationality: Short | None = None
    phones: _items(Short)
    emails: _items(Short)
    addresses: _items(Location)
    vehicles: _items(Vehicle)
    accounts: _items(Account)
    documents: _items(Document)
    role: PersonRole | None = None
    is_child: bool | None = None
    consent: bool | None = None


class Link(_Model):
    from_: Ref = Field(alias="from")
    type: LinkType
    to: Ref


# -- reports -----------------------------------------------------------------------------------

class _Report(_Model):
    kind: ReportKind
    source_ref: Ref
    reported_at: ReportDate
    received_at: datetime | None = None
    narrative: Narrative | None = None
    links: _items(Link)

    def received_utc(self, default: datetime) -> datetime:
        ts = self.received_at or default
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=timezone.utc)
        return ts


class Exploitation(_Model):
    types: _items(ExploitationType)
    from_: Short | None = Field(default=None, alias="from")
    to: Short | None = None
    locations: _items(Location)


class FirstResponder(_Model):
    organisation: Name
    type: ResponderType | None = None
    force: Force | None = None


class GroundsDecision(_Model):
    reasonable_grounds: Literal["positive", "negative", "pending"] | None = None
    conclusive_grounds: Literal["positive", "negative", "pending"] | None = None
    date: Short | None = None


class NrmReport(_Report):
    kind: Literal["nrm"]
    first_responder: FirstResponder
    victim: Person
    exploitation: Exploitation | None = None
    exploiters: _items(Person)
    decision: GroundsDecision | None = None


class NotifyingAuthority(_Model):
    organisation: Name
    force: Force | None = None


class DtnReport(_Report):
    kind: Literal["dtn"]
    notifying_authority: NotifyingAuthority
    victim: Person
    exploitation: Exploitation | None = None
    exploiters: _items(Person)


class SubmittedBy(_Model):
    force: Force
    unit: Short | None = None


class Grading(_Model):
    source: Annotated[SourceEvaluation, BeforeValidator(_upper_str)]
    intelligence: Annotated[IntelligenceAssessment, BeforeValidator(_upper_str)]
    handling: Annotated[HandlingCode, BeforeValidator(_upper_str)] = HandlingCode.P
    conditions: Text | None = None

    @model_validator(mode="after")
    def _conditions_travel_with_c(self) -> "Grading":
        if self.handling == HandlingCode.C and not (self.conditions or "").strip():
            raise ValueError("handling code C needs `conditions` (the conditions travel with "
                             "the intelligence)")
        return self


class _Subjects(_Model):
    subjects: _items(Person)
    locations: _items(Location)
    businesses: _items(Business)
    phones: _items(Short)
    emails: _items(Short)
    vehicles: _items(Vehicle)
    accounts: _items(Account)


class IntelReport(_Report, _Subjects):
    kind: Literal["intel"]
    submitted_by: SubmittedBy
    grading: Grading


class Partner(_Model):
    organisation: Name
    type: PartnerType | None = None
    force: Force | None = None


class ReferralReport(_Report, _Subjects):
    kind: Literal["referral"]
    partner: Partner
    urgency: Urgency | None = None
    child_involved: bool | None = None
    concern_types: _items(ExploitationType)


MODELS: dict[str, type[_Report]] = {
    ReportKind.NRM.value: NrmReport,
    ReportKind.DTN.value: DtnReport,
    ReportKind.INTEL.value: IntelReport,
    ReportKind.REFERRAL.value: ReferralReport,
}


def validate(model: type[_Report], payload: dict) -> _Report:
    """`model.model_validate(payload)`, with pydantic's error turned into an InvalidReport."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
