// answers: writes entity-level links with their evidence
// params: $rows [{src, dst, link_type, count, first_seen, last_seen, report_ids, best_grading, handling, conditions}]
UNWIND $rows AS row
MATCH (a:Entity {entity_id: row.src})
MATCH (b:Entity {entity_id: row.dst})
CREATE (a)-[:LINKED {link_type: row.link_type, count: row.count, first_seen: row.first_seen,
                     last_seen: row.last_seen, report_ids: row.report_ids,
                     best_grading: row.best_grading, handling: row.handling,
                     conditions: row.conditions}]->(b)
