"""Phones, emails, registration marks and postcodes written only in the narrative become
`mentioned` records, MENTIONED_WITH each subject, with the span of text as evidence."""

from __future__ import annotations

from tests.ingest import payloads as P


def test_identifiers_only_in_the_narrative_become_mentioned_records(ingest, graph):
    p = P.intel()
    p["narrative"] = ("Hoxha was seen driving KX19 ZPT near B12 9QA. He calls 07400 654321 and "
                      "emails boss.hoxha@example.com. Also uses 07911 123456.")
    res = ingest(p)
    assert res.results[0].status == "accepted", res.results[0].reason
    g = graph(res.results[0].report_id)
    mentioned = {r["ref"]: r for r in g.records if r["role"] == "mentioned"}
    assert "m:phone:+447400654321" in mentioned
    assert mentioned["m:phone:+447400654321"]["value"] == "+447400654321"
    assert any(ref.startswith("m:email:") for ref in mentioned)
    assert any(ref.startswith("m:vrm:") for ref in mentioned)
    pc = [r for ref, r in mentioned.items() if ref.startswith("m:postcode:")]
    assert pc and pc[0]["record_type"] == "location" and pc[0]["force"] == "west-midlands"
    # 07911 123456 is already a structured phone of this report: not mentioned again
    assert not any(r["value"] == "+447911123456" for r in mentioned.values())
    # every mention is linked from each subject, with the narrative span as evidence
    text = p["narrative"]
    for rec in mentioned.values():
        links = [l for l in g.links if l["dst"] == rec["record_id"]]
        assert {g.by_id[l["src"]]["ref"] for l in links} == {"s1", "s2"}
        assert all(l["link_type"] == "MENTIONED_WITH" for l in links)
        start, end = map(int, links[0]["evidence"][len("narrative["):-1].split(":"))
        assert links[0]["evidence"].startswith("narrative[")
        assert text[start:end].strip()


def test_nrm_narratives_are_not_mined(ingest, graph):
    p = P.nrm()
    p["narrative"] = "He also had 07400 654321."
    g = graph(ingest(p).results[0].report_id)
    assert not [r for r in g.records if r["role"] == "mentioned"]
