// answers: linked entities - the entities within two hops of an entity (LadybugDB: DISTINCT over a variable-length match)
// params: $entity_id, $limit
MATCH (s:Entity {entity_id: $entity_id})-[:LINKED*1..2]-(n:Entity)
WHERE n.entity_id <> $entity_id
WITH DISTINCT n
RETURN n.entity_id AS entity_id, n.entity_type AS entity_type, n.label AS label,
       n.forces AS forces, n.flags AS flags
ORDER BY entity_type, entity_id
LIMIT $limit
