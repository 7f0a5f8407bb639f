// answers: flags (child) - people recorded as a child victim in any report, with those reports
// params: $limit
MATCH (r:Record {record_type: 'person'})-[:RESOLVED_TO]->(e:Entity)
WHERE r.role = 'victim' AND r.attrs CONTAINS '"is_child":true'
RETURN e.entity_id AS entity_id, e.label AS label, e.forces AS forces,
       collect(DISTINCT r.report_id) AS reports
ORDER BY entity_id
LIMIT $limit
