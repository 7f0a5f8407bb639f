"""NRM referrals (National Referral Mechanism): a potential victim, exploiters, places of
exploitation and the first responder who referred them."""

from __future__ import annotations

from datetime import datetime

from linkage.model import ReportBundle
from ingest.build import victim_report
from ingest.sources import NrmReport, validate

KIND = "nrm"


def build(payload: dict, *, received_at: datetime, lookup,
          raw: str | None = None) -> tuple[ReportBundle, list[str]]:
    """The bundle and any warnings (values left blank because they could not be read).
    `raw`: the payload's JSON text as received, kept as the report's raw text."""
    m = validate(NrmReport, payload)
    fr = m.first_responder
    return victim_report(m, payload, organisation=fr.organisation, force=fr.force,
                         received_at=received_at, lookup=lookup, raw=raw,
                         referrer=fr.organisation, referrer_path="first_responder.organisation")


def parse(payload: dict, *, received_at: datetime, lookup) -> ReportBundle:
    """One NRM payload -> ReportBundle; raises InvalidReport (field, reason)."""
    return build(payload, received_at=received_at, lookup=lookup)[0]
