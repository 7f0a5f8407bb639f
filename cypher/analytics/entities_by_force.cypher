// answers: networks / cross-border - the entities whose records place them in a force area (locations by postcode), optionally of one type
// params: $force (force code, e.g. west-midlands), $entity_type (or null for all), $limit
MATCH (e:Entity)
WHERE $force IN e.forces AND coalesce($entity_type, e.entity_type) = e.entity_type
RETURN e.entity_id AS entity_id, e.entity_type AS entity_type, e.label AS label,
       e.forces AS forces, e.roles AS roles, e.flags AS flags, e.last_seen AS last_seen
ORDER BY e.entity_type, e.last_seen DESC, e.entity_id
LIMIT $limit
