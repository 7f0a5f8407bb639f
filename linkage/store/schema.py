"""The graph schema, declared once as data.

Both adapters derive their DDL from this: LadybugDB node/rel tables and Neo4j constraints and
indexes (`cypher/schema/*.cypher` is generated from it and checked by a test). Labels and
relationship types used in any query come from here, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump when a table or column changes, and add a step to MIGRATIONS in the embedded adapter.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class NodeTable:
    name: str
    key: str
    columns: tuple[tuple[str, str], ...]  # (name, type) - types in the LadybugDB spelling
    indexed: tuple[str, ...] = ()  # non-key properties looked up by value

    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]


@dataclass(frozen=True)
class RelTable:
    name: str
    src: str
    dst: str
    columns: tuple[tuple[str, str], ...]

    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]


S, I, F, B, D, T, SL = "STRING", "INT64", "DOUBLE", "BOOL", "DATE", "TIMESTAMP", "STRING[]"

META = NodeTable("Meta", "key", (("key", S), ("value", S)))

REPORT_KEY = NodeTable("ReportKey", "report_key", (
    ("report_key", S), ("kind", S), ("source_ref", S), ("organisation", S),
    ("versions", I), ("hashes", SL),
))

REPORT = NodeTable("Report", "report_id", (
    ("report_id", S), ("report_key", S), ("kind", S), ("source_ref", S), ("organisation", S),
    ("version", I), ("content_hash", S), ("reported_at", D), ("received_at", T), ("force", S),
    ("grading_source", S), ("grading_intel", S), ("handling", S), ("conditions", S),
    ("narrative", S), ("urgency", S), ("child_involved", B), ("exploitation_types", SL),
    ("raw", S),
), indexed=("source_ref", "report_key"))

RECORD = NodeTable("Record", "record_id", (
    ("record_id", S), ("report_id", S), ("record_type", S), ("role", S), ("ref", S),
    ("value", S), ("display", S), ("attrs", S), ("keys", SL), ("force", S), ("use", S),
    ("venue_type", S), ("lat", F), ("lon", F), ("reported_at", D),
), indexed=("record_type",))

ENTITY = NodeTable("Entity", "entity_id", (
    ("entity_id", S), ("entity_type", S), ("label", S), ("value", S), ("attrs", S),
    ("keys", SL), ("forces", SL), ("roles", SL), ("flags", SL), ("record_count", I),
    ("report_count", I), ("first_seen", D), ("last_seen", D),
), indexed=("entity_type", "value"))

JUDGEMENT = NodeTable("Judgement", "judgement_id", (
    ("judgement_id", S), ("record_a", S), ("record_b", S), ("decision", S), ("by", S),
    ("reason", S), ("at", T), ("undone", B), ("undone_by", S), ("undone_at", T),
))

# Job state that belongs with the graph (scan runs, review queue, dispatches, hubs, orders):
# small JSON documents in named collections, so later stages add state without new DDL.
DOC = NodeTable("Doc", "doc_id", (
    ("doc_id", S), ("collection", S), ("body", S), ("updated_at", T),
), indexed=("collection",))

MENTIONS = RelTable("MENTIONS", "Report", "Record", ())
LINK = RelTable("LINK", "Record", "Record", (("link_type", S), ("report_id", S), ("evidence", S)))
RESOLVED_TO = RelTable("RESOLVED_TO", "Record", "Entity", (("score", F), ("rule", S)))
LINKED = RelTable("LINKED", "Entity", "Entity", (
    ("link_type", S), ("count", I), ("first_seen", D), ("last_seen", D), ("report_ids", SL),
    ("best_grading", S), ("handling", S), ("conditions", SL),
))

NODE_TABLES = (META, REPORT_KEY, REPORT, RECORD, ENTITY, JUDGEMENT, DOC)
REL_TABLES = (MENTIONS, LINK, RESOLVED_TO, LINKED)
TABLES = {t.name: t for t in (*NODE_TABLES, *REL_TABLES)}


def ladybug_ddl() -> list[str]:
    out = []
    for t in NODE_TABLES:
        cols = ", ".join(f"{c} {ty}" for c, ty in t.columns)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {t.name}({cols}, PRIMARY KEY ({t.key}))")
    for r in REL_TABLES:
        cols = "".join(f", {c} {ty}" for c, ty in r.columns)
        out.append(f"CREATE REL TABLE IF NOT EXISTS {r.name}(FROM {r.src} TO {r.dst}{cols})")
    for t in NODE_TABLES:
        for prop in t.indexed:
            out.append(f"CREATE ART INDEX {t.name.lower()}_{prop} IF NOT EXISTS FOR (n:{t.name}) ON (n.{prop})")
    return out


def neo4j_schema_cypher() -> str:
    """Constraints and indexes for Neo4j 5, the text of cypher/schema/001_constraints.cypher."""
    lines = [
        "// Generated from linkage/store/schema.py (SCHEMA_VERSION %d); do not edit by hand." % SCHEMA_VERSION,
        "// Run once per database: cypher-shell -f cypher/schema/001_constraints.cypher",
    ]
    for t in NODE_TABLES:
        lines.append(
            f"CREATE CONSTRAINT {t.name.lower()}_{t.key}_unique IF NOT EXISTS "
            f"FOR (n:{t.name}) REQUIRE n.{t.key} IS UNIQUE;")
    for t in NODE_TABLES:
        for prop in t.indexed:
            lines.append(
                f"CREATE INDEX {t.name.lower()}_{prop} IF NOT EXISTS FOR (n:{t.name}) ON (n.{prop});")
    lines.append("CREATE INDEX linked_type IF NOT EXISTS FOR ()-[l:LINKED]-() ON (l.link_type);")
    return "\n".join(lines) + "\n"
