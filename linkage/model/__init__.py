"""Domain model: enumerations, forces and the graph's nouns."""

from linkage.model.enums import *  # noqa: F401,F403
from linkage.model.forces import FORCE_CODES, FORCES, force_code, force_name, rocu_region  # noqa: F401
from linkage.model.graph import (  # noqa: F401
    Entity, EntityLink, Judgement, Membership, Record, RecordLink, Report, ReportBundle,
    WriteOutcome, content_hash, stable_hash,
)
