// answers: every document of a collection
// params: $collection
MATCH (d:Doc)
WHERE d.collection = $collection
RETURN d.doc_id AS doc_id, d.body AS body
