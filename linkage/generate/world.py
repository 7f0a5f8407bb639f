"""`generate_world`: a whole synthetic world of reports, with the truth behind them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from linkage.gcpause import gc_paused
from linkage.generate.cast import Cast
from linkage.generate.planted import order_rows, planted_facts
from linkage.generate.plans import Planner
from linkage.generate.render import Renderer

TRUTH_COLUMNS = ("report_kind", "source_ref", "record_ref", "record_type", "true_entity",
                 "anonymous")


@dataclass
class GeneratedWorld:
    reports: list[dict]   # report payloads exactly as FORMATS.md describes (JSON-able dicts)
    truth: list[dict]     # one row per record: report_kind, source_ref, record_ref, record_type,
    #                       true_entity, anonymous (bool)
    planted: dict         # planted facts: groups, linked venues, hubs, repeat locations ...
    orders: list[dict]    # Slavery and Trafficking Prevention/Risk Orders


def generate_world(reports: int, seed: int = 7, as_of: date | None = None) -> GeneratedWorld:
    """A deterministic synthetic world of `reports` reports (about 35% NRM, 15% Duty to Notify,
    30% intelligence, 20% partner referrals) dated over the 540 days up to `as_of` (today by
    default). The same (reports, seed, as_of) always gives the same world."""
    if reports < 0:
        raise ValueError("reports must be zero or more")
    as_of = as_of or date.today()
    with gc_paused(freeze=True):
        rng = random.Random(f"linkage.generate|{reports}|{seed}|{as_of.isoformat()}")
        cast = Cast(rng, as_of)
        plan = Planner(cast, reports).plan()
        renderer = Renderer(cast, plan, rng)
        payloads = renderer.render()
        planted = planted_facts(cast, plan, renderer, as_of)
        return GeneratedWorld(payloads, renderer.truth, planted, order_rows(cast, plan))


