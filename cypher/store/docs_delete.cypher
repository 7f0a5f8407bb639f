// answers: removes documents by id
// params: $ids
UNWIND $ids AS i
MATCH (d:Doc {doc_id: i})
DELETE d
