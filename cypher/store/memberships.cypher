// answers: which entity each record resolved to, with the score and the rule
MATCH (r:Record)-[m:RESOLVED_TO]->(e:Entity)
RETURN r.record_id AS record_id, e.entity_id AS entity_id, e.entity_type AS entity_type,
       m.score AS score, m.rule AS rule
