"""The named Cypher in cypher/analytics/ (for analysts in Neo4j Browser), run on the embedded
store where the dialect allows, and checked against what the Python analytics say."""

from __future__ import annotations

import re

import pytest

from linkage.analytics.network import network, paths
from linkage.analytics.projection import is_venue, projection
from linkage.analytics.venues import linked_venues, sites
from linkage.store.queries import CYPHER_DIR, catalogue, query

FOLDER = "analytics"
LIMIT = 100_000


def run(store, name: str, **params) -> list[dict]:
    q = query(FOLDER, name, store.dialect)
    return store._exec(q.text, params)


def test_every_query_says_what_it_answers_and_what_it_takes():
    names = catalogue(FOLDER)
    assert len(names) >= 12
    for path in sorted((CYPHER_DIR / FOLDER).glob("*.cypher")):
        head = path.read_text(encoding="utf-8").splitlines()[:2]
        assert head[0].startswith("// answers: "), path.name
        assert head[1].startswith("// params: "), path.name
        body = path.read_text(encoding="utf-8")
        declared = set(re.findall(r"\$(\w+)", head[1]))
        used = set(re.findall(r"\$(\w+)", "\n".join(body.splitlines()[2:])))
        assert used <= declared, (path.name, used - declared)
    # where the dialects differ, both texts exist
    assert (CYPHER_DIR / FOLDER / "shortest_paths.ladybug.cypher").exists()
    assert "SHORTEST" in query(FOLDER, "shortest_paths", "neo4j").text
    assert "-{1,4}" in query(FOLDER, "shortest_paths", "neo4j").text


@pytest.fixture(scope="module")
def lead(aw):
    return aw.entity_of[aw.planted["ocgs"][0]["exploiters"][0]]


def test_linked_entities_match_the_one_hop_network(aw, lead):
    rows = run(aw.store, "linked_entities", entity_id=lead, since=None, limit=LIMIT)
    sub = network(aw.store, lead, hops=1, max_nodes=LIMIT)
    assert {(r["entity_id"], r["link_type"]) for r in rows} == {
        (l["dst"] if l["src"] == lead else l["src"], l["link_type"])
        for l in sub["links"] if lead in (l["src"], l["dst"])}
    assert all(r["report_ids"] for r in rows)
    since = max(r["last_seen"] for r in rows)
    recent = run(aw.store, "linked_entities", entity_id=lead, since=since, limit=LIMIT)
    assert recent and all(r["last_seen"] >= since for r in recent)


def test_two_hop_neighbourhood_contains_the_python_neighbourhood(aw, lead):
    rows = run(aw.store, "neighbourhood_2hops", entity_id=lead, limit=LIMIT)
    ids = {r["entity_id"] for r in rows}
    assert len(ids) == len(rows)  # distinct
    sub = network(aw.store, lead, hops=2, max_nodes=LIMIT)
    # Python does not walk through benign hubs; the plain Cypher does, so it finds at least as much
    assert {n["entity_id"] for n in sub["nodes"]} - {lead} <= ids


def test_shortest_paths_between_two_venues(aw):
    ocg = next(o for o in aw.planted["ocgs"] if len(o["venues"]) >= 2)
    proj = projection(aw.store)
    site_of = sites(proj)
    venues = [aw.entity_of[v] for v in ocg["venues"] if v.startswith("L")]
    a, b = next((x, y) for x in venues for y in venues if site_of[x] != site_of[y])
    rows = run(aw.store, "shortest_paths", a=a, b=b)
    assert rows
    hops = {r["hops"] for r in rows}
    assert len(hops) == 1  # all shortest: one length
    python = paths(aw.store, a, b, max_hops=4)
    assert hops.pop() <= python[0]["length"]  # Cypher may cut through a hub; Python may not
    for r in rows:
        assert r["entity_ids"][0] == a and r["entity_ids"][-1] == b
        assert len(r["link_types"]) == len(r["report_ids"]) == r["hops"]
        for u, v in zip(r["entity_ids"], r["entity_ids"][1:]):
            assert proj.graph.has_edge(u, v)


def test_venues_sharing_a_phone(aw):
    rows = run(aw.store, "venues_sharing_phone", limit=LIMIT)
    assert rows
    proj = projection(aw.store)
    g = proj.graph
    by_value = {e["value"]: eid for eid, e in proj.entities.items() if e["entity_type"] == "phone"}
    for r in rows[:50]:
        assert r["venue_a"] < r["venue_b"] and r["shared"] == len(r["phones"]) >= 1
        for value in r["phones"]:
            phone = by_value[value]
            for v in (r["venue_a"], r["venue_b"]):
                near = set(g[phone]) | {x for n in g[phone] for x in g[n]}
                assert v in near


def test_linked_venue_pairs_agree_with_linked_venues(aw):
    rows = run(aw.store, "linked_venues", types=None, force=None, limit=LIMIT)
    assert rows
    proj = projection(aw.store)
    site_of = sites(proj)
    linked = {frozenset(r["site"]): {frozenset(x["site"]) for x in r["linked"]}
              for r in linked_venues(aw.store, limit=LIMIT)}
    checked = 0
    for r in rows:
        a, b = r["venue_a"], r["venue_b"]
        assert r["connections"] == len(r["via"]) >= 1
        if not (is_venue(proj.entities[a]) and is_venue(proj.entities[b])):
            continue
        if site_of[a] == site_of[b] or not all(proj.graph.degree(c) <= 250 and c not in proj.hubs for c in r["via"]):
            continue
        assert site_of[b] in linked[site_of[a]], (a, b)
        checked += 1
    assert checked
    force = rows[0]["forces_a"][0] if rows[0]["forces_a"] else None
    if force:
        only = run(aw.store, "linked_venues", types=None, force=force, limit=LIMIT)
        assert only and all(force in r["forces_a"] or force in r["forces_b"] for r in only)


def test_section45_overlap_matches_the_flag(aw):
    rows = run(aw.store, "section45_overlap", limit=LIMIT)
    flagged = {e["entity_id"] for e in aw.store.all_entities("person") if "section45" in e["flags"]}
    assert {r["entity_id"] for r in rows} == flagged
    assert all(r["victim_reports"] and r["suspect_reports"] for r in rows)


def test_child_victims_and_flagged_entities_match_the_flags(aw):
    children = {r["entity_id"] for r in run(aw.store, "child_victims", limit=LIMIT)}
    for flag in ("child", "under_order", "relocated", "section45"):
        stored = {e["entity_id"] for e in aw.store.all_entities() if flag in e["flags"]}
        assert {r["entity_id"] for r in run(aw.store, "flagged_entities", flag=flag, limit=LIMIT)} == stored
        if flag == "child":
            assert children == stored


def test_entities_by_force(aw):
    every = aw.store.all_entities()
    force = next(f for e in every for f in e["forces"])
    rows = run(aw.store, "entities_by_force", force=force, entity_type=None, limit=LIMIT)
    assert {r["entity_id"] for r in rows} == {e["entity_id"] for e in every if force in e["forces"]}
    locs = run(aw.store, "entities_by_force", force=force, entity_type="location", limit=LIMIT)
    assert locs and all(r["entity_type"] == "location" for r in locs)
    venues = run(aw.store, "venues_in_force", force=force, types=None, limit=LIMIT)
    assert all(force in aw.store.entities([r["entity_id"]])[0]["forces"] for r in venues[:20])


def test_search_by_value_and_text(aw):
    phone = aw.store.all_entities("phone")[0]
    rows = run(aw.store, "entity_by_value", entity_type="phone", value=phone["value"])
    assert [r["entity_id"] for r in rows] == [phone["entity_id"]]
    biz = next(e for e in aw.store.all_entities("business") if len(e["label"]) > 6)
    text = biz["label"].lower()[:6]
    rows = run(aw.store, "entities_by_text", text=text, types=["business"], limit=LIMIT)
    assert biz["entity_id"] in {r["entity_id"] for r in rows}


def test_cross_border_people_and_network_members(aw):
    from linkage.analytics.networks import find_networks

    for r in run(aw.store, "cross_border_people", min_forces=2, limit=50):
        assert len(r["forces"]) >= 2
    net = find_networks(aw.store, cross_border=True)[0]
    members = run(aw.store, "network_members", ids=net["member_ids"])
    assert {r["entity_id"] for r in members} == set(net["member_ids"])
    links = run(aw.store, "network_links", ids=net["member_ids"])
    proj = projection(aw.store)
    inside = sum(len(d["links"]) for u, v, d in proj.graph.subgraph(net["member_ids"]).edges(data=True))
    assert len(links) == inside


def test_victim_places_show_a_relocation(aw):
    victim = next(e for e in aw.store.all_entities("person") if "relocated" in e["flags"])
    rows = run(aw.store, "victim_places", entity_id=victim["entity_id"])
    assert len({f for r in rows for f in r["forces"]}) >= 2
    assert [r["reported_at"] for r in rows] == sorted(r["reported_at"] for r in rows)


# -- optional: Neo4j's own parser for the Neo4j text ------------------------------------------
_LINT = r"""
const { lintCypherQuery } = require('@neo4j-cypher/language-support');
const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const [name, text] of Object.entries(queries)) {
  const r = lintCypherQuery(text, { defaultLanguage: 'CYPHER 5' }, { consoleCommandsEnabled: false });
  out[name] = r.diagnostics.filter(d => d.severity === 1 &&
    !(d.message.startsWith('Parameter ') && d.message.endsWith(' is not defined.'))).map(d => d.message);
}
console.log(JSON.stringify(out));
"""


def test_neo4j_text_passes_neo4j_parser_and_semantic_analysis(tmp_path):
    import json
    import os
    import shutil
    import subprocess
    from pathlib import Path

    lint_dir = os.environ.get("LINKAGE_CYPHER_LINT_DIR")
    modules = Path(lint_dir or "/nonexistent") / "node_modules"
    if not lint_dir or shutil.which("node") is None or not (modules / "@neo4j-cypher" / "language-support").exists():
        pytest.skip("set LINKAGE_CYPHER_LINT_DIR to a folder where "
                    "`npm install @neo4j-cypher/language-support` ran (cypher/README.md)")
    queries = {name: query(FOLDER, name, "neo4j").text for name in catalogue(FOLDER)}
    script = tmp_path / "lint.cjs"
    script.write_text(_LINT, encoding="utf-8")
    run = subprocess.run(["node", str(script)], input=json.dumps(queries), capture_output=True,
                         text=True, env={**os.environ, "NODE_PATH": str(modules)}, timeout=300)
    assert run.returncode == 0, run.stderr
    errors = {k: v for k, v in json.loads(run.stdout).items() if v}
    assert errors == {}
