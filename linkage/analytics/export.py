"""`linkage export graph`: an entity's neighbourhood for other tools.

- `graphml`: networkx's GraphML writer (Gephi, yEd, Neo4j's apoc.import.graphml);
- `json`: networkx node-link JSON (D3, Cytoscape.js);
- `csv`: one row per link with both ends named and the evidence;
- `anx`: i2 Analyst's Notebook exchange XML (Chart / ChartItemCollection): an End/Entity
  chart item per entity, its icon type from the entity type, and a Link chart item per link,
  typed by the link type, labelled with the number of reports and dated by the last report.

Lists become ";"-joined text and dates ISO text, so every format holds plain values. Handling
code C conditions travel with each link (DOMAIN.md: the conditions must be kept with the item).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime

import networkx as nx

from linkage.analytics.network import network
from linkage.errors import UserError

FORMATS = {
    "graphml": "application/graphml+xml",
    "json": "application/json",
    "csv": "text/csv",
    "anx": "application/xml",
}

# entity type -> i2 Analyst's Notebook standard icon type
ANX_ICONS = {
    "person": "Person", "location": "Address", "business": "Organisation", "phone": "Telephone",
    "email": "Email Address", "vehicle": "Vehicle", "account": "Bank Account",
}

NODE_FIELDS = ("entity_type", "label", "value", "forces", "roles", "flags", "record_count",
               "report_count", "first_seen", "last_seen", "hops", "hub")
LINK_FIELDS = ("link_type", "count", "first_seen", "last_seen", "best_grading", "handling",
               "conditions", "report_ids")


def _plain(v):
    if v is None:
        return ""
    if isinstance(v, (list, tuple, set)):
        return ";".join(str(x) for x in v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v
    return str(v)


def to_networkx(sub: dict) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in sub["nodes"]:
        g.add_node(n["entity_id"], **{k: _plain(n.get(k)) for k in NODE_FIELDS})
    for l in sub["links"]:
        g.add_edge(l["src"], l["dst"], key=l["link_type"], **{k: _plain(l.get(k)) for k in LINK_FIELDS})
    return g


def _graphml(g: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    return buf.getvalue()


def _json(g: nx.MultiDiGraph) -> bytes:
    data = nx.node_link_data(g, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _csv(sub: dict) -> bytes:
    labels = {n["entity_id"]: n for n in sub["nodes"]}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["src", "src_type", "src_label", "link_type", "dst", "dst_type", "dst_label",
                "count", "first_seen", "last_seen", "best_grading", "handling", "conditions",
                "report_ids"])
    for l in sub["links"]:
        a, b = labels[l["src"]], labels[l["dst"]]
        w.writerow([l["src"], a["entity_type"], a.get("label") or "", l["link_type"], l["dst"],
                    b["entity_type"], b.get("label") or "", l["count"], _plain(l["first_seen"]),
                    _plain(l["last_seen"]), l.get("best_grading") or "", l.get("handling") or "",
                    _plain(l.get("conditions")), _plain(l.get("report_ids"))])
    return buf.getvalue().encode("utf-8")


def _anx_time(d) -> str | None:
    if not d:
        return None
    return f"{d.isoformat()}T00:00:00" if isinstance(d, date) and not isinstance(d, datetime) else d.isoformat()


def _anx(sub: dict) -> bytes:
    chart = ET.Element("Chart", {"IdReferenceLinking": "false", "Rigorous": "false"})
    etypes = ET.SubElement(chart, "EntityTypeCollection")
    for t in sorted({n["entity_type"] for n in sub["nodes"]}):
        ET.SubElement(etypes, "EntityType", {"Name": ANX_ICONS.get(t, t.title()), "IconFile": ANX_ICONS.get(t, "General"),
                                             "PreferredRepresentation": "RepresentAsIcon"})
    ltypes = ET.SubElement(chart, "LinkTypeCollection")
    for t in sorted({l["link_type"] for l in sub["links"]}):
        ET.SubElement(ltypes, "LinkType", {"Name": t, "Colour": "0"})
    classes = ET.SubElement(chart, "AttributeClassCollection")
    for name, kind in (("Entity id", "AttText"), ("Forces", "AttText"), ("Flags", "AttText"),
                       ("Roles", "AttText"), ("Reports", "AttNumber"), ("Grading", "AttText"),
                       ("Handling", "AttText"), ("Conditions", "AttText"), ("Report ids", "AttText"),
                       ("First seen", "AttTime")):
        ET.SubElement(classes, "AttributeClass", {"Name": name, "Type": kind, "Visible": "true"})
    items = ET.SubElement(chart, "ChartItemCollection")

    def attributes(parent, values: dict):
        coll = ET.SubElement(parent, "AttributeCollection")
        for k, v in values.items():
            if v not in (None, "", []):
                ET.SubElement(coll, "Attribute", {"AttributeClass": k, "Value": str(_plain(v))})

    for i, n in enumerate(sub["nodes"]):
        ci = {"Label": n.get("label") or n["entity_id"], "Description": f"{n['entity_type']} {n['entity_id']}",
              "XPosition": str(200 * (i % 10)), "YPosition": str(200 * (i // 10))}
        when = _anx_time(n.get("last_seen"))
        if when:
            ci.update({"DateSet": "true", "TimeSet": "false", "DateTime": when})
        item = ET.SubElement(items, "ChartItem", ci)
        end = ET.SubElement(item, "End")
        ent = ET.SubElement(end, "Entity", {"EntityId": n["entity_id"], "Identity": n["entity_id"],
                                            "LabelIsIdentity": "false"})
        icon = ET.SubElement(ent, "Icon")
        ET.SubElement(icon, "IconStyle", {"Type": ANX_ICONS.get(n["entity_type"], n["entity_type"].title())})
        attributes(item, {"Entity id": n["entity_id"], "Forces": n.get("forces"), "Flags": n.get("flags"),
                          "Roles": n.get("roles"), "Reports": n.get("report_count")})
    for l in sub["links"]:
        label = f"{l['link_type']} ({l['count']} report{'s' if l['count'] != 1 else ''})"
        ci = {"Label": label, "Description": ", ".join(l.get("report_ids") or [])}
        when = _anx_time(l.get("last_seen"))
        if when:
            ci.update({"DateSet": "true", "TimeSet": "false", "DateTime": when})
        if l.get("best_grading"):
            ci["SourceReference"] = l["best_grading"]
        item = ET.SubElement(items, "ChartItem", ci)
        link = ET.SubElement(item, "Link", {"End1Id": l["src"], "End2Id": l["dst"]})
        ET.SubElement(link, "LinkStyle", {"Type": l["link_type"], "ArrowStyle": "ArrowOnHead",
                                          "MlStyle": "MultiplicityMultiple", "Strength": "Default"})
        attributes(item, {"Grading": l.get("best_grading"), "Handling": l.get("handling"),
                          "Conditions": l.get("conditions"), "Report ids": l.get("report_ids"),
                          "First seen": _anx_time(l.get("first_seen"))})
    ET.indent(chart)
    return ET.tostring(chart, encoding="utf-8", xml_declaration=True)


def export_graph(store, entity_id: str, hops: int, fmt: str, *, max_nodes: int = 2000) -> tuple[bytes, str]:
    """The neighbourhood of `entity_id` within `hops`, in `fmt`: (content, media type)."""
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise UserError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    sub = network(store, entity_id, hops=hops, max_nodes=max_nodes)
    if fmt == "csv":
        return _csv(sub), FORMATS[fmt]
    if fmt == "anx":
        return _anx(sub), FORMATS[fmt]
    g = to_networkx(sub)
    g.graph.update({"source": "linkage", "seed": entity_id, "hops": hops,
                    "truncated": bool(sub["truncated"])})
    return (_graphml(g) if fmt == "graphml" else _json(g)), FORMATS[fmt]
