"""Small hand-made reports for scan tests: places, people and phones named in intelligence
submissions and NRM referrals, built as bundles (not through the ingesters) so a test states
exactly which records and links a report holds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from linkage.model import Record, RecordLink, Report, ReportBundle, content_hash

PLACES = {
    # name: (line, postcode, force)
    "car wash": ("12 Mill Lane", "B11 1AA", "west-midlands"),
    "nail bar": ("4 High Street", "M14 5RT", "greater-manchester"),
    "farm": ("Lower Farm, Fen Road", "PE13 2QQ", "cambridgeshire"),
    "police station": ("1 Steelhouse Lane", "B4 6NW", "west-midlands"),
    "charity office": ("20 Church Road", "B15 3TR", "west-midlands"),
}


@dataclass
class Place:
    name: str
    role: str = "exploitation"
    use: str | None = "exploitation"
    linked_by: str | None = "EXPLOITED_AT"  # link from the report's first person


@dataclass
class Spec:
    source_ref: str
    reported: date
    places: list[Place] = field(default_factory=list)
    people: list[tuple[str, str]] = field(default_factory=lambda: [("Anna Nowak", "victim")])
    phones: list[str] = field(default_factory=list)
    org: str = "West Midlands Police"
    kind: str = "intel"
    force: str = "west-midlands"
    grading: tuple[str, str] | None = ("2", "B")
    handling: str = "P"
    conditions: str | None = None
    narrative: str = ""
    child: bool = False
    received: datetime | None = None


def bundle(s: Spec) -> ReportBundle:
    payload = {"kind": s.kind, "source_ref": s.source_ref, "narrative": s.narrative,
               "places": [p.name for p in s.places], "people": s.people, "phones": s.phones}
    rep = Report(
        report_key=Report.key_for(s.kind, s.org, s.source_ref), kind=s.kind, source_ref=s.source_ref,
        organisation=s.org, content_hash=content_hash(payload), reported_at=s.reported,
        received_at=s.received or datetime(s.reported.year, s.reported.month, s.reported.day, 12),
        raw=json.dumps(payload), force=s.force,
        grading_source=s.grading[0] if s.grading else None,
        grading_intel=s.grading[1] if s.grading else None,
        handling=s.handling if s.grading else None, conditions=s.conditions,
        narrative=s.narrative, child_involved=s.child,
        exploitation_types=["labour"],
    )
    rid = rep.report_id
    records, links = [], []
    people = []
    for i, (name, role) in enumerate(s.people):
        folded = name.lower()
        toks = folded.split()
        r = Record(Record.id_for(rid, "person", f"p{i}"), rid, "person", role, f"p{i}", folded, name,
                   {"names": [{"raw": name, "folded": folded, "tokens": toks, "family": toks[-1],
                               "given": toks[:-1]}], "tokens": toks, "dob": None,
                    "is_child": s.child and role == "victim"},
                   [f"nm:{toks[-1]}|{toks[0][:1]}", f"nn:{folded}"], reported_at=s.reported)
        records.append(r)
        people.append(r)
    for p in s.places:
        line, postcode, force = PLACES[p.name]
        canonical = f"{line.upper()}, {postcode}"
        r = Record(Record.id_for(rid, "location", p.name), rid, "location", p.role, p.name, canonical,
                   f"{line}, {postcode}",
                   {"address": {"canonical": canonical, "postcode": postcode,
                                "district": postcode.split()[0], "house_number": line.split()[0],
                                "street": " ".join(line.upper().split()[1:]), "uk": True},
                    "use": p.use, "venue_type": None, "business_name": None},
                   [f"pc:{postcode}|{line.split()[0]}", f"ad:{canonical}"], force=force, use=p.use,
                   reported_at=s.reported)
        records.append(r)
        if p.linked_by and people:
            links.append(RecordLink(people[0].record_id, r.record_id, p.linked_by, rid))
    for ph in s.phones:
        r = Record(Record.id_for(rid, "phone", ph), rid, "phone", "contact", ph, ph, ph, {},
                   [f"ph:{ph}"], reported_at=s.reported)
        records.append(r)
        if people:
            links.append(RecordLink(people[0].record_id, r.record_id, "USES_PHONE", rid))
    return ReportBundle(rep, records, links)
