// answers: entities by id
// params: $ids
UNWIND $ids AS i
MATCH (e:Entity {entity_id: i})
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
