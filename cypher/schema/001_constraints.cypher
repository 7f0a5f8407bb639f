// Generated from linkage/store/schema.py (SCHEMA_VERSION 1); do not edit by hand.
// Run once per database: cypher-shell -f cypher/schema/001_constraints.cypher
CREATE CONSTRAINT meta_key_unique IF NOT EXISTS FOR (n:Meta) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT reportkey_report_key_unique IF NOT EXISTS FOR (n:ReportKey) REQUIRE n.report_key IS UNIQUE;
CREATE CONSTRAINT report_report_id_unique IF NOT EXISTS FOR (n:Report) REQUIRE n.report_id IS UNIQUE;
CREATE CONSTRAINT record_record_id_unique IF NOT EXISTS FOR (n:Record) REQUIRE n.record_id IS UNIQUE;
CREATE CONSTRAINT entity_entity_id_unique IF NOT EXISTS FOR (n:Entity) REQUIRE n.entity_id IS UNIQUE;
CREATE CONSTRAINT judgement_judgement_id_unique IF NOT EXISTS FOR (n:Judgement) REQUIRE n.judgement_id IS UNIQUE;
CREATE CONSTRAINT doc_doc_id_unique IF NOT EXISTS FOR (n:Doc) REQUIRE n.doc_id IS UNIQUE;
CREATE INDEX report_source_ref IF NOT EXISTS FOR (n:Report) ON (n.source_ref);
CREATE INDEX report_report_key IF NOT EXISTS FOR (n:Report) ON (n.report_key);
CREATE INDEX record_record_type IF NOT EXISTS FOR (n:Record) ON (n.record_type);
CREATE INDEX entity_entity_type IF NOT EXISTS FOR (n:Entity) ON (n.entity_type);
CREATE INDEX entity_value IF NOT EXISTS FOR (n:Entity) ON (n.value);
CREATE INDEX doc_collection IF NOT EXISTS FOR (n:Doc) ON (n.collection);
CREATE INDEX linked_type IF NOT EXISTS FOR ()-[l:LINKED]-() ON (l.link_type);
