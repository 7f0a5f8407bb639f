"""Property tests: the CSV cell splitter and the readers never raise on arbitrary input."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings, strategies as st

from ingest import csv_layout
from ingest.reader import read_paths

cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(st.one_of(st.none(), cell_text, st.integers()))
def test_split_cell_never_raises_and_strips(text):
    parts = csv_layout.split_cell(text)
    assert all(p == p.strip() for p in parts)
    assert all(p for p in csv_layout.cell_values(text))


@given(st.lists(st.text(alphabet=string.ascii_letters + string.digits + " ,.-'", min_size=1,
                        max_size=20).map(str.strip).filter(bool), min_size=1, max_size=8))
def test_values_joined_with_semicolons_split_back(values):
    assert csv_layout.cell_values(";".join(values)) == values
    escaped = [v + ";x" for v in values]
    assert csv_layout.cell_values(";".join(v.replace(";", "\\;") for v in escaped)) == escaped


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".jsonl", ".json", ".csv", ".ndjson"]))
def test_the_reader_never_raises_on_arbitrary_bytes(tmp_path, data, suffix):
    f = tmp_path / f"any{suffix}"
    f.write_bytes(data)
    for item in read_paths([f]):
        assert item.location.startswith(str(f))
        assert item.payload is None or isinstance(item.payload, dict)


csv_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                   max_size=40)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(csv_cell, min_size=1, max_size=6), min_size=1, max_size=5))
def test_any_csv_row_maps_to_a_payload_or_a_reason(rows):
    import csv
    import io
    import tempfile
    from pathlib import Path

    header = ["source_ref", "subject_names", "subject_dobs", "accounts", "postcodes", "urgency"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "r.csv"
        f.write_text(buf.getvalue(), encoding="utf-8")
        for item in read_paths([f]):
            assert item.payload is not None or item.reason
