"""The network route renders its JSON from fragments cached per projection; it must be exactly
the JSON of the network `linkage.analytics.network.network` returns (which the CLI prints)."""

from __future__ import annotations

from datetime import date

import pytest

from api.responses import json_response, network_response
from linkage.analytics.network import neighbourhood, network
from linkage.analytics.projection import projection
from linkage.store import open_store
from tests.api.conftest import copy_world

VARIANTS = [dict(hops=2), dict(hops=0), dict(hops=1), dict(hops=3, max_nodes=40),
            dict(hops=2, since=date(2024, 6, 1)), dict(hops=2, min_grading="2B"),
            dict(hops=2, types=["person", "location"])]


@pytest.fixture(scope="module")
def store(world_base, tmp_path_factory):
    settings, _info = copy_world(world_base, tmp_path_factory.mktemp("render"))
    s = open_store(settings)
    yield s
    s.close()


def test_the_rendered_network_is_the_json_of_network(store):
    ids = sorted(projection(store).entities)
    for n, entity_id in enumerate(ids[::7]):
        for args in VARIANTS if n % 10 == 0 else VARIANTS[:1]:
            for message in (None, "cut") if n % 20 == 0 else (None,):
                expected = network(store, entity_id, **args)
                if message is not None:
                    expected["message"] = message
                got = network_response(neighbourhood(store, entity_id, **args), message)
                assert got.body == json_response(expected).body, (entity_id, args)
