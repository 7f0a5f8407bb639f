"""Generated postcodes are real districts of the force the generator says they are in."""

from __future__ import annotations

import pytest

from linkage.generate.geography import DISTRICTS, DISTRICTS_BY_FORCE, FORCES_USED
from linkage.model import FORCES
from tests.generate.report_walk import objects, postcode_of


def test_district_table_names_real_forces_once():
    assert set(FORCES_USED) <= set(FORCES)
    assert len(FORCES_USED) >= 12
    assert sum(len(v) for v in DISTRICTS_BY_FORCE.values()) == len(DISTRICTS)
    for force in ("west-midlands", "greater-manchester", "west-yorkshire", "metropolitan",
                  "merseyside", "south-yorkshire", "nottinghamshire", "kent", "thames-valley",
                  "avon-and-somerset", "northumbria", "police-scotland"):
        assert DISTRICTS_BY_FORCE[force]


def test_every_generated_postcode_maps_to_the_planted_force_in_the_shipped_lookup(world, truth_by_report):
    geo = pytest.importorskip("ingest.geo")
    lookup = geo.ForceLookup.shipped()
    force_of_entity = {h["true_entity"]: h["force"] for h in world.planted["benign_hubs"]}
    force_of_entity.update({r["true_entity"]: r["force"] for r in world.planted["repeat_locations"]})
    checked = 0
    for report in world.reports:
        truth = truth_by_report[(report["kind"], report["source_ref"])]
        for _, kind, obj in objects(report):
            if kind != "location":
                continue
            pc = postcode_of(obj)
            if pc is None:
                continue
            planted = DISTRICTS[pc.split()[0]].force
            assert lookup.force_for_postcode(obj.get("postcode") or pc) == planted, (obj, planted)
            true_id = truth[obj["ref"]]["true_entity"]
            assert force_of_entity.setdefault(true_id, planted) == planted
            checked += 1
    assert checked > 1000
    for ocg in world.planted["ocgs"]:
        forces = {force_of_entity[v] for v in ocg["venues"] if v in force_of_entity}
        assert forces == set(ocg["forces"]), ocg["id"]
