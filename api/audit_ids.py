"""The entity ids a response discloses, for the audit entry (every `entity_id`, and the ends of
every link, anywhere in the response)."""

from __future__ import annotations

from typing import Any

_ID_KEYS = ("entity_id", "src", "dst", "source", "target")
_ID_LIST_KEYS = ("entity_ids", "members", "path", "nodes")


def entity_ids(value: Any, *, limit: int = 20_000) -> list[str]:
    found: dict[str, None] = {}
    stack = [value]
    while stack and len(found) < limit:
        v = stack.pop()
        if isinstance(v, dict):
            for k, x in v.items():
                if k in _ID_KEYS and isinstance(x, str):
                    found[x] = None
                elif k in _ID_LIST_KEYS and isinstance(x, list) and x and all(isinstance(i, str) for i in x):
                    found.update(dict.fromkeys(x))
                elif isinstance(x, (dict, list, tuple)):
                    stack.append(x)
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return list(found)
