// answers: cross-border networks - people linked to places in two or more force areas (the seeds of a cross-border network; `linkage networks --cross-border` groups them)
// params: $min_forces (usually 2), $limit
MATCH (p:Entity {entity_type: 'person'})-[:LINKED]-(l:Entity {entity_type: 'location'})
WHERE NOT ('safe_house' IN l.roles)
UNWIND l.forces AS force
WITH p, collect(DISTINCT force) AS forces, collect(DISTINCT l.entity_id) AS locations
WHERE size(forces) >= $min_forces
RETURN p.entity_id AS entity_id, p.label AS label, p.roles AS roles, forces, locations
ORDER BY size(forces) DESC, entity_id
LIMIT $limit
