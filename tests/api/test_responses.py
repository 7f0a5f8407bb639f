"""Search and network answer with JSON rendered by orjson; it must be the JSON a response model
(pydantic's serialiser) would have written for the same values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from pydantic import TypeAdapter

from api.responses import json_response

VALUES = [
    {"first_seen": date(2024, 1, 2), "last_seen": None, "count": 3, "weight": 0.1, "hub": False},
    {"at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)},
    {"at": datetime(2024, 1, 2, 3, 4, 5, 123, tzinfo=timezone(timedelta(hours=1)))},
    {"at": datetime(2024, 1, 2, 3, 4, 5), "time": time(3, 4, 5)},
    {"label": "Văn An NGUYỄN \u2028 \"quoted\" \\ back"},
    {"numbers": [1.0, 0.1, 1e16, 1e-7, 123456789.125, float("nan"), float("inf"), -0.0, 2**53]},
    {1: "an int key", "ids": ("P-1", "P-2"), "flags": {"child"}},
    {"nested": [{"links": [{"report_ids": ["R-1"], "conditions": []}]}], "truncated": True},
]


def test_rendered_json_is_what_pydantic_writes():
    adapter = TypeAdapter(Any)
    for value in VALUES:
        response = json_response(value)
        assert response.media_type == "application/json"
        assert response.body == adapter.dump_json(value), value
