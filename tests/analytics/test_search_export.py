"""Search as analysts type, and exports other tools can read."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from linkage.analytics.export import export_graph
from linkage.analytics.network import network
from linkage.analytics.search import search
from linkage.errors import UserError


def _ids(hits, score=0):
    return [h["entity_id"] for h in hits if h["score"] >= score]


def test_a_person_is_found_without_diacritics_and_in_the_other_name_order(aw):
    from ingest.normalise import fold

    people = [e for e in aw.store.all_entities("person")
              if e["label"] and not e["label"].isascii() and len(e["label"].split()) >= 2
              and not e["label"].startswith("unnamed")]
    assert people
    for e in people[:5]:
        tokens = fold(e["label"]).split()
        typed = " ".join(reversed(tokens)).title()
        assert typed.isascii()
        hits = search(aw.store, typed, types=["person"], limit=20)
        assert e["entity_id"] in _ids(hits, 90), (typed, hits[:3])
        hit = next(h for h in hits if h["entity_id"] == e["entity_id"])
        assert hit["reason"].startswith("name")


def test_a_phone_is_found_in_any_format(aw):
    phone = next(e for e in aw.store.all_entities("phone") if e["value"].startswith("+447"))
    national = "0" + phone["value"][3:]
    for typed in (f"+44 {phone['value'][3:7]} {phone['value'][7:]}", f"{national[:5]} {national[5:]}",
                  f"(0{phone['value'][3:7]}) {phone['value'][7:10]}-{phone['value'][10:]}"):
        hits = search(aw.store, typed)
        assert hits and hits[0]["entity_id"] == phone["entity_id"], typed
        assert hits[0]["score"] == 100 and "phone" in hits[0]["reason"]


def test_a_registration_mark_is_found_in_lower_case_with_a_space(aw):
    vehicle = next(e for e in aw.store.all_entities("vehicle") if len(e["value"]) == 7)
    typed = f"{vehicle['value'][:4]} {vehicle['value'][4:]}".lower()
    hits = search(aw.store, typed)
    assert hits[0]["entity_id"] == vehicle["entity_id"] and hits[0]["score"] == 100


def test_postcodes_partial_addresses_and_accounts_are_found(aw):
    loc = next(e for e in aw.store.all_entities("location") if (e["attrs"] or {}).get("postcode"))
    pc = loc["attrs"]["postcode"]
    hits = search(aw.store, pc.replace(" ", "").lower(), limit=100)
    assert loc["entity_id"] in _ids(hits, 95)
    district = search(aw.store, pc.split()[0].lower(), types=["location"], limit=200)
    assert loc["entity_id"] in _ids(district, 80)
    words = [w for w in loc["label"].split(",")[0].split() if w.isalpha() and len(w) > 3]
    if words:
        part = search(aw.store, " ".join(words[-2:]).upper(), types=["location"], limit=200)
        assert loc["entity_id"] in _ids(part)
    acct = next((e for e in aw.store.all_entities("account") if e["value"].startswith("sc:")), None)
    if acct is not None:
        _, sc, number = acct["value"].split(":")
        hits = search(aw.store, f"{sc[:2]}-{sc[2:4]}-{sc[4:]} {number}")
        assert hits[0]["entity_id"] == acct["entity_id"]


def test_search_results_are_ranked_typed_and_limited(aw):
    hits = search(aw.store, "nguyen", limit=5)
    assert len(hits) <= 5
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    for h in hits:
        assert set(h) == {"entity_id", "entity_type", "label", "score", "reason", "forces", "flags"}
        assert 0 <= h["score"] <= 100
    assert all(h["entity_type"] == "business" for h in search(aw.store, "car wash", types=["business"]))
    with pytest.raises(UserError):
        search(aw.store, "   ")
    with pytest.raises(UserError):
        search(aw.store, "x", types=["spaceship"])


# -- exports ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(aw):
    ocg = aw.planted["ocgs"][0]
    return aw.entity_of[ocg["exploiters"][0]]


def test_graphml_export_reads_back_in_networkx(aw, seed):
    content, media = export_graph(aw.store, seed, 2, "graphml")
    assert media == "application/graphml+xml"
    g = nx.read_graphml(io.BytesIO(content))
    sub = network(aw.store, seed, hops=2, max_nodes=2000)
    assert set(g.nodes) == {n["entity_id"] for n in sub["nodes"]}
    assert g.number_of_edges() == len(sub["links"])
    assert g.nodes[seed]["entity_type"] == "person"
    conditioned = [d for _u, _v, d in g.edges(data=True) if d.get("handling") == "C"]
    assert all(d["conditions"] for d in conditioned)


def test_json_and_csv_exports_parse(aw, seed):
    content, media = export_graph(aw.store, seed, 1, "json")
    data = json.loads(content)
    g = nx.node_link_graph(data, edges="links")
    assert seed in g
    content, media = export_graph(aw.store, seed, 1, "csv")
    assert media == "text/csv"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert rows and {"src", "dst", "link_type", "count", "report_ids", "conditions"} <= set(rows[0])
    assert len(rows) == g.number_of_edges()


def test_anx_export_is_an_i2_chart_with_typed_entities_and_links(aw, seed):
    content, media = export_graph(aw.store, seed, 2, "anx")
    root = ET.fromstring(content)
    assert root.tag == "Chart"
    items = root.find("ChartItemCollection")
    entities = items.findall("ChartItem/End/Entity")
    links = items.findall("ChartItem/Link")
    sub = network(aw.store, seed, hops=2, max_nodes=2000)
    assert len(entities) == len(sub["nodes"]) and len(links) == len(sub["links"])
    ids = {e.get("Identity") for e in entities}
    assert seed in ids
    icon_types = {e.find("Icon/IconStyle").get("Type") for e in entities}
    assert "Person" in icon_types
    declared = {t.get("Name") for t in root.findall("EntityTypeCollection/EntityType")}
    assert icon_types <= declared
    for link in links:
        assert link.get("End1Id") in ids and link.get("End2Id") in ids
        assert link.find("LinkStyle").get("Type")
    assert all(ci.get("Label") for ci in items.findall("ChartItem"))


def test_unknown_export_format_is_refused(aw, seed):
    with pytest.raises(UserError):
        export_graph(aw.store, seed, 1, "pdf")
