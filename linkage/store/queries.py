"""Named Cypher, read from `cypher/`.

A query `name` lives in `cypher/<folder>/<name>.cypher`; a dialect that needs other text has
`<name>.<dialect>.cypher` beside it (dialect: "ladybug" or "neo4j"). The shared text is used
where the two agree, so the embedded tests exercise the same query shapes as production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"

_HEADER = re.compile(r"^//\s*(\w+):\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    answers: str
    params: str


def _parse(name: str, path: Path) -> NamedQuery:
    meta: dict[str, str] = {}
    body = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADER.match(line.strip())
        if m and not body:
            meta[m.group(1)] = m.group(2)
        elif not line.strip().startswith("//"):
            body.append(line)
    return NamedQuery(name, "\n".join(body).strip().rstrip(";"), meta.get("answers", ""),
                      meta.get("params", ""))


@lru_cache(maxsize=None)
def query(folder: str, name: str, dialect: str) -> NamedQuery:
    base = CYPHER_DIR / folder
    specific = base / f"{name}.{dialect}.cypher"
    path = specific if specific.exists() else base / f"{name}.cypher"
    if not path.exists():
        raise KeyError(f"no Cypher named {folder}/{name} for {dialect}")
    return _parse(name, path)


def catalogue(folder: str) -> list[str]:
    names = set()
    for p in (CYPHER_DIR / folder).glob("*.cypher"):
        names.add(p.name.split(".")[0])
    return sorted(names)
