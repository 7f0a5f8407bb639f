// answers: networks - the links among a network's members, with their evidence
// params: $ids (entity ids)
MATCH (a:Entity)-[l:LINKED]->(b:Entity)
WHERE a.entity_id IN $ids AND b.entity_id IN $ids
RETURN a.entity_id AS src, b.entity_id AS dst, l.link_type AS link_type, l.count AS count,
       l.first_seen AS first_seen, l.last_seen AS last_seen, l.best_grading AS best_grading,
       l.handling AS handling, l.conditions AS conditions, l.report_ids AS report_ids
ORDER BY src, dst, link_type
