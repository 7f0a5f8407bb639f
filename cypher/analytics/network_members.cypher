// answers: networks - a network's members (the ids `linkage networks --json` lists as member_ids) with their types, roles, forces and flags, to draw it in the Browser
// params: $ids (entity ids)
UNWIND $ids AS i
MATCH (e:Entity {entity_id: i})
RETURN e.entity_id AS entity_id, e.entity_type AS entity_type, e.label AS label,
       e.roles AS roles, e.forces AS forces, e.flags AS flags,
       e.first_seen AS first_seen, e.last_seen AS last_seen
ORDER BY entity_type, entity_id
