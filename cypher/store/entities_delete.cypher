// answers: removes entities by id
// params: $ids
UNWIND $ids AS i
MATCH (e:Entity {entity_id: i})
DETACH DELETE e
