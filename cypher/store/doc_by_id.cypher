// answers: one job-state document by id
// params: $doc_id
MATCH (d:Doc {doc_id: $doc_id})
RETURN d.doc_id AS doc_id, d.body AS body
