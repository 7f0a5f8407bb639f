// answers: flags (section 45) - people who are a victim in one report and a suspect or exploiter in another, with both reports
// params: $limit
MATCH (v:Record)-[:RESOLVED_TO]->(e:Entity {entity_type: 'person'})<-[:RESOLVED_TO]-(s:Record)
WHERE v.role = 'victim' AND s.role IN ['suspect', 'exploiter'] AND v.report_id <> s.report_id
RETURN e.entity_id AS entity_id, e.label AS label, e.forces AS forces,
       collect(DISTINCT v.report_id) AS victim_reports,
       collect(DISTINCT s.report_id) AS suspect_reports
ORDER BY entity_id
LIMIT $limit
