// answers: flags (relocated) - the force areas of a victim's residence, work and exploitation places, report by report in date order
// params: $entity_id
MATCH (v:Record)-[:RESOLVED_TO]->(e:Entity {entity_id: $entity_id})
MATCH (v)-[k:LINK]-(l:Record {record_type: 'location'})
WHERE v.role = 'victim' AND k.link_type IN ['LIVES_AT', 'WORKS_AT', 'EXPLOITED_AT'] AND l.force IS NOT NULL
RETURN v.report_id AS report_id, v.reported_at AS reported_at,
       collect(DISTINCT l.force) AS forces, collect(DISTINCT l.display) AS places
ORDER BY reported_at, report_id
