// answers: removes every entity of a type (a full resolution run rebuilds them)
// params: $entity_type
MATCH (e:Entity)
WHERE e.entity_type = $entity_type
DETACH DELETE e
