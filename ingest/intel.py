"""Intelligence submissions: graded 3x5x2 (source, intelligence, handling code with conditions),
structured subjects and what is named with them, and identifiers written only in the narrative."""

from __future__ import annotations

from datetime import datetime

from linkage.model import ReportBundle
from ingest.build import subjects_report
from ingest.sources import IntelReport, validate

KIND = "intel"


def build(payload: dict, *, received_at: datetime, lookup,
          raw: str | None = None) -> tuple[ReportBundle, list[str]]:
    m = validate(IntelReport, payload)
    sb, g = m.submitted_by, m.grading
    organisation = f"{sb.force}/{sb.unit or ''}"
    return subjects_report(
        m, payload, organisation=organisation, force=sb.force, received_at=received_at,
        lookup=lookup, raw=raw, grading_source=str(g.source),
        grading_intel=str(g.intelligence), handling=str(g.handling),
        conditions=(g.conditions or None))


def parse(payload: dict, *, received_at: datetime, lookup) -> ReportBundle:
    """One intelligence submission -> ReportBundle; raises InvalidReport (field, reason)."""
    return build(payload, received_at=received_at, lookup=lookup)[0]
