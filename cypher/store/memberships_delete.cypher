// answers: detaches records from their current entity before they are pointed elsewhere
// params: $ids (record ids)
UNWIND $ids AS i
MATCH (r:Record {record_id: i})-[m:RESOLVED_TO]->(:Entity)
DELETE m
