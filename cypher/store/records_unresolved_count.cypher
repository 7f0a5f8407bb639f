// answers: how many records are not resolved to an entity yet
MATCH (r:Record)
WHERE NOT EXISTS { MATCH (r)-[:RESOLVED_TO]->(:Entity) }
RETURN count(r) AS n
