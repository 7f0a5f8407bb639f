"""Resolution parameters: thresholds, block caps and the priors of every comparison level.

Priors are m (P(level | same entity)) and u (P(level | different entities)) per level, from the
record-linkage literature and Splink's defaults for names and dates of birth; EM re-estimates
m for people without labels, u comes from random pairs. Everything here can be overridden by a
JSON or TOML file (`LINKAGE_RESOLUTION_CONFIG` or `--config`): same keys, partial is fine.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# level name -> (m, u). Levels are listed best first; "missing" levels carry no evidence.
PERSON_PRIORS: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.55, 0.0005),
        "close": (0.22, 0.0008),
        "initials": (0.08, 0.0004),
        "subset": (0.06, 0.0010),
        "fuzzy": (0.06, 0.0080),
        "alias": (0.03, 0.0020),  # only a nickname or one-word name agrees
        "different": (0.03, 0.9877),
    },
    "dob": {
        "exact": (0.70, 0.0004),
        "swapped": (0.03, 0.00002),
        "year_month": (0.05, 0.0030),
        "year": (0.12, 0.0300),
        "range": (0.07, 0.1500),
        "far": (0.02, 0.3000),
        "conflict": (0.01, 0.8166),
    },
    "nationality": {"same": (0.95, 0.15), "different": (0.05, 0.85)},
    "gender": {"same": (0.97, 0.50), "different": (0.03, 0.50)},
    "phone": {"shared": (0.30, 0.0002)},
    "address": {"shared": (0.25, 0.0005)},
    "document": {"same": (0.20, 0.000001), "conflict": (0.01, 0.05)},
    "vehicle": {"shared": (0.05, 0.0002)},
    # acting at one venue or business (resolved first): see features.place_context
    "place": {"shared": (0.40, 0.0005)},
}

LOCATION_PRIORS: dict[str, dict[str, tuple[float, float]]] = {
    "address": {
        "exact": (0.80, 0.00005),
        "same_premises": (0.15, 0.00005),  # same postcode (or street) + number + flat, written differently
        "same_building": (0.02, 0.002),    # same postcode + number, flat missing on one side
        "same_street": (0.02, 0.02),
        "conflict": (0.01, 0.97775),      # different number or different flat
    },
    "business_name": {"same": (0.5, 0.001), "different": (0.05, 0.2)},
    "venue_type": {"same": (0.6, 0.2), "different": (0.05, 0.5)},
}

BUSINESS_PRIORS: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.60, 0.0005),
        "fingerprint": (0.25, 0.0005),
        "close": (0.10, 0.003),
        "different": (0.05, 0.9960),
    },
    "company_number": {"same": (0.3, 0.000001), "conflict": (0.01, 0.3)},
    "postcode": {"same": (0.6, 0.002), "different": (0.3, 0.95)},
    "venue_type": {"same": (0.7, 0.2), "different": (0.05, 0.5)},
    "phone": {"shared": (0.3, 0.0002)},
}


@dataclass
class ResolutionConfig:
    # decision on the posterior probability that two records are the same entity
    match_probability: float = 0.95
    review_probability: float = 0.50
    # prior probability that a blocked candidate pair is a match, before EM
    prior_match: float = 0.02
    # a blocking key shared by more records than this is too common to compare in full
    max_block: int = 60
    # EM for people: iterations and the sample of random pairs that estimates u
    em_iterations: int = 12
    u_sample_pairs: int = 30_000
    use_em: bool = True
    # term-frequency adjustment of name agreement (rare names count for more)
    tf_adjust: bool = True
    tf_floor: float = 1e-7
    # a venue or business tied to people of more distinct names than this is a hub (a police
    # station, a hostel): sharing it is no evidence that two mentions are one person
    max_place_names: int = 150
    priors: dict[str, dict[str, dict[str, tuple[float, float]]]] = field(default_factory=lambda: {
        "person": PERSON_PRIORS, "location": LOCATION_PRIORS, "business": BUSINESS_PRIORS})

    @classmethod
    def load(cls, path: Path | None) -> "ResolutionConfig":
        cfg = cls()
        if path is None:
            return cfg
        text = Path(path).read_text(encoding="utf-8")
        data: dict[str, Any] = tomllib.loads(text) if str(path).endswith(".toml") else json.loads(text)
        for key, value in data.items():
            if key == "priors":
                for rtype, comps in value.items():
                    for comp, levels in comps.items():
                        for level, mu in levels.items():
                            cfg.priors.setdefault(rtype, {}).setdefault(comp, {})[level] = tuple(mu)
            elif hasattr(cfg, key):
                setattr(cfg, key, type(getattr(cfg, key))(value))
            else:
                raise ValueError(f"unknown resolution setting {key!r} in {path}")
        return cfg
