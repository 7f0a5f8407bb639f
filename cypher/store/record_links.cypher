// answers: every record-level link (what each report said between its own objects)
MATCH (a:Record)-[l:LINK]->(b:Record)
RETURN a.record_id AS src, b.record_id AS dst, l.link_type AS link_type, l.report_id AS report_id,
       l.evidence AS evidence
