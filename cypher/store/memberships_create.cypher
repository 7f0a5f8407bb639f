// answers: points records at their entity with the score and the rule that put them there
// params: $rows [{record_id, entity_id, score, rule}]
UNWIND $rows AS row
MATCH (r:Record {record_id: row.record_id})
MATCH (e:Entity {entity_id: row.entity_id})
CREATE (r)-[:RESOLVED_TO {score: row.score, rule: row.rule}]->(e)
