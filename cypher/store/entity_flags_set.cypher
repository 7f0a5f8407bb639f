// answers: sets the computed flags on entities
// params: $rows [{entity_id, flags}]
UNWIND $rows AS row
MATCH (e:Entity {entity_id: row.entity_id})
SET e.flags = row.flags
