// answers: the records of the reports dated in a window, each with the entity it resolved to
// (entity_id null when it is not resolved yet): what the daily scan counts
// params: $from_date (date), $to_date (date)
MATCH (rep:Report)-[:MENTIONS]->(r:Record)
WHERE rep.reported_at >= $from_date AND rep.reported_at <= $to_date
OPTIONAL MATCH (r)-[:RESOLVED_TO]->(e:Entity)
RETURN rep.report_id AS report_id,
       r.record_id AS record_id,
       r.record_type AS record_type,
       r.role AS role,
       r.use AS use,
       r.force AS force,
       r.attrs AS attrs,
       e.entity_id AS entity_id
