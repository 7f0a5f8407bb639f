"""Search ranks names with rapidfuzz's token_sort_ratio and token_set_ratio; it computes them
from tokens prepared once per index. The ranking must be exactly what those scorers give."""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from linkage.analytics.projection import build_projection
from linkage.analytics.search import NAME_CUTOFF, SearchIndex, name_matches

WORDS = ["nguyen", "van", "an", "thi", "loan", "mohammed", "ali", "hassan", "jana", "kollarova",
         "marek", "szabo", "lucia", "gazova", "ion", "popescu", "andrei", "popa", "ana", "mo"]


def _names(rnd: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(1, 4))]  # repeats such as "ali ali"
        if rnd.random() < 0.3:
            w = list(words[0])
            w[rnd.randrange(len(w))] = rnd.choice("aeioux")
            words[0] = "".join(w)
        out.append(" ".join(words))
    return out


def _index(names: list[str]) -> SearchIndex:
    entities = [{"entity_id": f"P-{i:04d}", "entity_type": "person", "label": None,
                 "attrs": {"names": [name]}} for i, name in enumerate(names)]
    return SearchIndex(build_projection(entities, []))


def test_name_ranking_equals_the_rapidfuzz_token_scorers():
    rnd = random.Random(5)
    ix = _index(_names(rnd, 600))
    queries = _names(rnd, 300) + ["ali", "ali ali", "nguyen van an", "an van nguyen", "zzz", "popesku ion"]
    for q in queries:
        for wanted in (1, 7, 50):
            mine = name_matches(ix, q, wanted)
            for got, scorer in zip(mine, (fuzz.token_sort_ratio, fuzz.token_set_ratio)):
                expected = [(score, i) for _c, score, i in process.extract(
                    q, ix.names, scorer=scorer, limit=wanted, score_cutoff=NAME_CUTOFF)]
                assert got == expected, (q, wanted, scorer.__name__)


def test_an_entitys_names_are_indexed_in_a_fixed_order():
    # set order varies between processes (string hashing); with ties, the first variant indexed
    # is the one a hit's reason names, so the order must not depend on the process
    entity = {"entity_id": "P-1", "entity_type": "person", "label": "Hassan Ali",
              "attrs": {"names": ["mohammed ali", "ali mohammed", "hassan ali"]}}
    ix = SearchIndex(build_projection([entity], []))
    assert ix.names == sorted(ix.names)
