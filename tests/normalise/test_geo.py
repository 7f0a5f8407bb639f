"""Force of a location: shipped district table, ONSPD import, exact table first."""

from __future__ import annotations

import csv
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from ingest.geo import ForceLookup, district_table, force_for_pfa, load_onspd, pfa_codes
from ingest.geo import build_districts
from ingest.normalise.addresses import POSTCODE_AREAS, postcode_area
from linkage.errors import UserError
from linkage.model import FORCE_CODES

FAST = settings(max_examples=200, deadline=None)

ONSPD = """pcd,pcd2,pcds,dointr,doterm,oscty,laua,ctry,pfa,lat,long
B6  4QS,B6   4QS,B6 4QS,198001,,E99999999,E08000025,E92000001,E23000017,52.5,-1.88
M1  1AE,M1   1AE,M1 1AE,198001,,E99999999,E08000003,E92000001,E23000005,53.4,-2.2
EH1 1YZ,EH1  1YZ,EH1 1YZ,198001,,S99999999,S12000036,S92000003,S23000009,55.9,-3.1
BT1 1AA,BT1  1AA,BT1 1AA,198001,,N99999999,N09000003,N92000002,N23000001,54.6,-5.9
JE2 3AB,JE2  3AB,JE2 3AB,198001,,L99999999,L99999999,L93000001,L99999999,49.1,-2.1
XX1 1XX,XX1  1XX,XX1 1XX,198001,,E99999999,E99999999,E92000001,E23000001,51.5,-0.1
SW1A1AA,SW1A 1AA,SW1A 1AA,198001,200012,E99999999,E09000033,E92000001,E23000001,51.5,-0.14
"""


@pytest.fixture
def onspd(tmp_path):
    path = tmp_path / "ONSPD_NOV_2025_UK.csv"
    path.write_text(ONSPD, encoding="utf-8")
    return path


def test_shipped_table_places_postcodes_in_their_force():
    geo = ForceLookup.shipped()
    expected = {
        "B6 4QS": "west-midlands", "cv31 1aa": "warwickshire", "CV1 2AA": "west-midlands",
        "EH1 1YZ": "police-scotland", "BT1 1AA": "psni", "EC2V 7HH": "city-of-london",
        "EC1V 9HX": "metropolitan", "SW1A 1AA": "metropolitan", "WS11 1AA": "staffordshire",
        "DY10 1AA": "west-mercia", "TD15 1AA": "northumbria", "SA1 1AA": "south-wales",
        "SA31 1AA": "dyfed-powys", "M1 1AE": "greater-manchester", "LS1 4DY": "west-yorkshire",
        "NR32 1AA": "suffolk", "PO19 1AA": "sussex", "CF83 1AA": "gwent", "TS1 1AA": "cleveland",
        "DH1 1AA": "durham", "WA8 1AA": "cheshire", "L1 1AA": "merseyside",
    }
    for pc, force in expected.items():
        assert geo.force_for_postcode(pc) == force, pc
    assert geo is ForceLookup.shipped() and not geo.exact


def test_no_force_is_guessed():
    geo = ForceLookup.shipped()
    for pc in ("not a postcode", "", None, "JE2 3AB", "GY1 1AA", "IM1 1AA", "B1", "BFPO 123"):
        assert geo.force_for_postcode(pc) is None, pc
    assert geo.force_for_district("B22") is None  # no such district, and area B has four forces
    assert geo.force_for_district("M98") == "greater-manchester"  # all of area M is one force
    assert geo.force_for_district("ec1a") == "city-of-london" and geo.force_for_district("B1") == "west-midlands"


def test_district_table_covers_every_area_and_every_force_but_btp():
    table = district_table()
    assert {postcode_area(d) for d in table} == set(POSTCODE_AREAS)
    assert set(table.values()) == set(FORCE_CODES) - {"btp"}
    assert len(set(table.values())) == 45


def test_district_csv_is_what_the_build_script_writes(tmp_path):
    out = tmp_path / "districts.csv"
    n = build_districts.write(out)
    with out.open(encoding="utf-8") as fh:
        rebuilt = {r["district"]: r["force"] for r in csv.DictReader(fh)}
    assert n == len(rebuilt) and rebuilt == district_table()


def test_pfa_codes_map_to_force_codes():
    codes = pfa_codes()
    assert codes["E23000013"] == "cleveland" and codes["E23000014"] == "west-midlands"
    assert codes["E23000001"] == "metropolitan" and codes["W15000001"] == "north-wales"
    assert set(codes.values()) == set(FORCE_CODES) - {"btp"}
    assert force_for_pfa("S23000003") == "police-scotland" and force_for_pfa("L99999999") is None
    assert force_for_pfa("West Midlands Police") == "west-midlands" and force_for_pfa("") is None


def test_onspd_import_gives_exact_answers(onspd, tmp_path):
    db = tmp_path / "state" / "postcodes.sqlite"
    assert load_onspd(onspd, db) == 5  # Jersey (pseudo PFA) and the malformed row are skipped
    exact = ForceLookup(exact_path=db)
    assert exact.exact
    assert exact.force_for_postcode("b6 4qs") == "warwickshire"  # the exact table wins
    assert exact.force_for_postcode("B7 1AA") == "west-midlands"  # else the district table
    assert exact.force_for_postcode("EH1 1YZ") == "police-scotland"
    assert exact.force_for_postcode("BT1 1AA") == "psni"
    assert exact.force_for_postcode("SW1A 1AA") == "metropolitan"  # terminated, still kept
    assert exact.force_for_postcode("JE2 3AB") is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM postcode_force").fetchone()[0] == 5
    exact.close()


def test_a_lookup_sent_to_another_process_gives_the_same_answers(onspd, tmp_path):
    # ingest's parsing processes get the lookup by pickle: the exact table must come along
    import pickle

    db = tmp_path / "state" / "postcodes.sqlite"
    load_onspd(onspd, db)
    for original in (ForceLookup(exact_path=db), ForceLookup.shipped()):
        copy = pickle.loads(pickle.dumps(original))
        assert copy.exact == original.exact
        for pc in ("b6 4qs", "B7 1AA", "EH1 1YZ", "JE2 3AB", "nonsense"):
            assert copy.force_for_postcode(pc) == original.force_for_postcode(pc)
        copy.close()


def test_onspd_import_to_csv_and_reimport_replaces(onspd, tmp_path):
    out = tmp_path / "exact.csv"
    assert load_onspd(onspd, out) == 5
    assert ForceLookup(exact_path=out).force_for_postcode("B6 4QS") == "warwickshire"
    smaller = tmp_path / "small.csv"
    smaller.write_text("pcds,pfa\nB6 4QS,E23000014\n", encoding="utf-8")
    db = tmp_path / "pc.sqlite"
    load_onspd(onspd, db)
    assert load_onspd(smaller, db) == 1
    assert ForceLookup(exact_path=db).force_for_postcode("M1 1AE") == "greater-manchester"  # district
    assert ForceLookup(exact_path=db).force_for_postcode("B6 4QS") == "west-midlands"


def test_bad_files_are_explained(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("postcode,force\nB6 4QS,x\n", encoding="utf-8")
    with pytest.raises(UserError, match="pcds"):
        load_onspd(wrong, tmp_path / "pc.sqlite")
    empty_db = tmp_path / "empty.sqlite"
    sqlite3.connect(empty_db).close()
    with pytest.raises(UserError, match="no postcode table"):
        ForceLookup(exact_path=empty_db)
    assert not ForceLookup(exact_path=tmp_path / "missing.sqlite").exact


@FAST
@given(st.text(max_size=20))
def test_lookup_never_raises(text):
    geo = ForceLookup.shipped()
    f = geo.force_for_postcode(text)
    assert f is None or f in FORCE_CODES
    g = geo.force_for_district(text)
    assert g is None or g in FORCE_CODES
