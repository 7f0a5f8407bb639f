// answers: linked entities - everything linked directly to an entity, each link with its type, report count, first/last seen, best grading, handling code and conditions, and the supporting report ids
// params: $entity_id, $since (date or null: only links seen on or after it), $limit
MATCH (s:Entity {entity_id: $entity_id})-[l:LINKED]-(n:Entity)
WHERE coalesce(l.last_seen, date('1900-01-01')) >= coalesce($since, date('1900-01-01'))
RETURN n.entity_id AS entity_id, n.entity_type AS entity_type, n.label AS label,
       n.forces AS forces, n.flags AS flags,
       l.link_type AS link_type, l.count AS count, l.first_seen AS first_seen,
       l.last_seen AS last_seen, l.best_grading AS best_grading, l.handling AS handling,
       l.conditions AS conditions, l.report_ids AS report_ids
ORDER BY l.count DESC, n.entity_id, l.link_type
LIMIT $limit
