"""The content hash's orjson path gives the same hash as the json path it replaces.

Re-ingesting unchanged reports relies on the hash never changing, so the fast path must agree
with `json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))` for every value
`json.loads` can return, including the awkward ones (NaN, huge ints, tiny floats, control
characters, non-BMP text, keys that sort differently by code point and by UTF-16).
"""

from __future__ import annotations

import hashlib
import json

from hypothesis import given, settings, strategies as st

from linkage.model.graph import content_hash


def _json_hash(payload) -> str:
    body = {k: v for k, v in payload.items() if k != "received_at"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [1e-5, 1e-7, 0.0001, 1e16, 1.5e-300, 5e-324, -0.0, 1e300, 0.1])
_ints = st.integers() | st.sampled_from([2**63 - 1, 2**63, 2**64, -2**63, -2**63 - 1, 10**30])
_scalars = st.none() | st.booleans() | _ints | _floats | _text
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(_text, inner, max_size=4), max_leaves=20)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(_text, _values, max_size=6))
def test_fast_path_hash_equals_json_hash(payload):
    # what the reader hands over: the payload as json.loads returns it from its own text
    parsed = json.loads(json.dumps(payload, ensure_ascii=False))
    assert content_hash(parsed, parsed_json=True) == _json_hash(parsed)
    assert content_hash(parsed) == _json_hash(parsed)


def test_fast_path_on_generated_shapes():
    payload = {"kind": "nrm", "source_ref": "NRM-1", "received_at": "2026-01-01T00:00:00Z",
               "narrative": "Seen at 12 High St, B6 4QS \u00e9\u0111\U0001F600 \x1f\x7f\u2028",
               "victim": {"age": 17, "lat": 52.48, "tiny": 1e-6, "n": None, "ok": True},
               "exploiters": [{"\u00e9": 1, "e": 2, "Z": 3, "\U0001F600": 4, "\uffff": 5}]}
    assert content_hash(payload, parsed_json=True) == _json_hash(payload)
    payload.pop("victim")
    assert content_hash(payload, parsed_json=True) == _json_hash(payload)
