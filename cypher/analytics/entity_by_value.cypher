// answers: search - the entities of a type whose canonical value is exactly this (a phone as E.164, a VRM, an account, an email)
// params: $entity_type (phone|vehicle|account|email|...), $value (canonical, e.g. +447700900123, AB12CDE)
MATCH (e:Entity)
WHERE e.entity_type = $entity_type AND e.value = $value
RETURN e.entity_id AS entity_id, e.entity_type AS entity_type, e.label AS label,
       e.forces AS forces, e.flags AS flags, e.report_count AS report_count,
       e.first_seen AS first_seen, e.last_seen AS last_seen
ORDER BY e.entity_id
