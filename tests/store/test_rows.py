"""Record attrs are JSON text in the store; the fast encoder must mean what json.dumps meant."""

from __future__ import annotations

import json
from datetime import date, datetime

from hypothesis import given, settings, strategies as st

from linkage.store.rows import attrs_json


def _reference(attrs: dict) -> str:
    return json.dumps(attrs, ensure_ascii=False, separators=(",", ":"), default=str)


scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text()
           | st.floats(allow_nan=False, allow_infinity=False) | st.dates()
           | st.datetimes() | st.frozensets(st.integers(0, 3), max_size=2))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=10), values, max_size=6))
def test_attrs_json_decodes_to_what_json_dumps_gives(attrs):
    assert json.loads(attrs_json(attrs)) == json.loads(_reference(attrs))


def test_attrs_json_keeps_dates_text_and_unicode_as_before():
    attrs = {"dob": date(1990, 2, 3), "at": datetime(2026, 1, 2, 3, 4, 5), "name": "Đặng Thị Hoa",
             "ctl": "a\nb\x01", 1: "int key", "big": 2**80}
    assert json.loads(attrs_json(attrs)) == json.loads(_reference(attrs))
    small = {"dob": date(1990, 2, 3), "name": "Łukasz Żółć", "tokens": ("a", "b")}
    assert attrs_json(small) == _reference(small)
