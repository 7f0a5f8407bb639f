// answers: linked entities - the entities within two hops of an entity, with the fewest hops to each (the Browser draws the links)
// params: $entity_id, $limit
MATCH (s:Entity {entity_id: $entity_id})-[:LINKED*1..2]-(n:Entity)
WHERE n.entity_id <> $entity_id
RETURN n.entity_id AS entity_id, n.entity_type AS entity_type, n.label AS label,
       n.forces AS forces, n.flags AS flags
ORDER BY n.entity_type, n.entity_id
LIMIT $limit
