// answers: linked venues - venues in a force area, optionally of some venue types, with how many reports name them
// params: $force (force code), $types (venue types, or null for all), $limit
MATCH (v:Entity {entity_type: 'location'})
WHERE $force IN v.forces
  AND ('exploitation' IN v.roles OR 'venue' IN v.roles)
  AND (size(coalesce($types, [])) = 0 OR any(t IN coalesce($types, []) WHERE v.attrs CONTAINS t))
OPTIONAL MATCH (v)-[:LINKED]-(b:Entity {entity_type: 'business'})
RETURN v.entity_id AS entity_id, v.label AS label, v.report_count AS reports,
       collect(DISTINCT b.label) AS businesses, v.last_seen AS last_seen
ORDER BY reports DESC, entity_id
LIMIT $limit
