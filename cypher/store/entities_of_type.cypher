// answers: every entity of one type
// params: $entity_type
MATCH (e:Entity)
WHERE e.entity_type = $entity_type
RETURN e.entity_id AS entity_id,
       e.entity_type AS entity_type,
       e.label AS label,
       e.value AS value,
       e.attrs AS attrs,
       e.keys AS keys,
       e.forces AS forces,
       e.roles AS roles,
       e.flags AS flags,
       e.record_count AS record_count,
       e.report_count AS report_count,
       e.first_seen AS first_seen,
       e.last_seen AS last_seen
