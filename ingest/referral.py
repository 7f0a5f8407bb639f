"""Partner referrals (NGOs, local authorities, HSE, DWP, GLAA, banks, Crimestoppers, other
forces): what they saw, where, who, and contact details."""

from __future__ import annotations

from datetime import datetime

from linkage.model import ReportBundle
from ingest.build import subjects_report
from ingest.sources import ReferralReport, validate

KIND = "referral"


def build(payload: dict, *, received_at: datetime, lookup,
          raw: str | None = None) -> tuple[ReportBundle, list[str]]:
    m = validate(ReferralReport, payload)
    p = m.partner
    return subjects_report(
        m, payload, organisation=p.organisation, force=p.force, received_at=received_at,
        lookup=lookup, raw=raw, child_victims=bool(m.child_involved),
        referrer=p.organisation, referrer_path="partner.organisation",
        urgency=str(m.urgency) if m.urgency else None, child_involved=bool(m.child_involved),
        exploitation_types=[str(t) for t in m.concern_types])


def parse(payload: dict, *, received_at: datetime, lookup) -> ReportBundle:
    """One partner referral -> ReportBundle; raises InvalidReport (field, reason)."""
    return build(payload, received_at=received_at, lookup=lookup)[0]
