// answers: flags - the entities carrying a flag (section45, child, under_order, relocated), most recently seen first
// params: $flag, $limit
MATCH (e:Entity)
WHERE $flag IN e.flags
RETURN e.entity_id AS entity_id, e.entity_type AS entity_type, e.label AS label,
       e.roles AS roles, e.forces AS forces, e.flags AS flags, e.last_seen AS last_seen
ORDER BY e.last_seen DESC, e.entity_id
LIMIT $limit
