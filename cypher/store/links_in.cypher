// answers: entity links arriving at these entities, with their evidence
// params: $ids
UNWIND $ids AS i
MATCH (b:Entity {entity_id: i})<-[l:LINKED]-(a:Entity)
RETURN a.entity_id AS src, b.entity_id AS dst, l.link_type AS link_type, l.count AS count,
       l.first_seen AS first_seen, l.last_seen AS last_seen, l.report_ids AS report_ids,
       l.best_grading AS best_grading, l.handling AS handling, l.conditions AS conditions
