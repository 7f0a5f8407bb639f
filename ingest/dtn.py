"""Duty to Notify (MS1) notifications: adults who did not consent to the NRM, often without a
name; places, exploiters and phones still link them."""

from __future__ import annotations

from datetime import datetime

from linkage.model import ReportBundle
from ingest.build import victim_report
from ingest.sources import DtnReport, validate

KIND = "dtn"


def build(payload: dict, *, received_at: datetime, lookup,
          raw: str | None = None) -> tuple[ReportBundle, list[str]]:
    m = validate(DtnReport, payload)
    na = m.notifying_authority
    return victim_report(m, payload, organisation=na.organisation, force=na.force,
                         received_at=received_at, lookup=lookup, raw=raw)


def parse(payload: dict, *, received_at: datetime, lookup) -> ReportBundle:
    """One Duty to Notify payload -> ReportBundle; raises InvalidReport (field, reason)."""
    return build(payload, received_at=received_at, lookup=lookup)[0]
