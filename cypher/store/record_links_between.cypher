// answers: the record-level links stated by the reports dated in a window (a link and the two
// records it joins belong to one report)
// params: $from_date (date), $to_date (date)
MATCH (rep:Report)-[:MENTIONS]->(a:Record)-[l:LINK]->(b:Record)
WHERE rep.reported_at >= $from_date AND rep.reported_at <= $to_date
RETURN a.record_id AS src, b.record_id AS dst, l.link_type AS link_type, l.report_id AS report_id,
       l.evidence AS evidence
