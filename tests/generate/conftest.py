from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from linkage.generate import generate_world

AS_OF = date(2025, 6, 30)


@pytest.fixture(scope="session")
def world():
    return generate_world(2500, seed=11, as_of=AS_OF)


@pytest.fixture(scope="session")
def truth_by_report(world):
    """(kind, source_ref) -> {record_ref: truth row}"""
    out: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for row in world.truth:
        out[(row["report_kind"], row["source_ref"])][row["record_ref"]] = row
    return out
