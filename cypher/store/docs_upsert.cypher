// answers: stores small job-state documents (scan runs, review queue, dispatches, hubs, orders)
// params: $rows [{doc_id, collection, body, updated_at}]
UNWIND $rows AS row
WITH row, row.doc_id AS k
MERGE (d:Doc {doc_id: k})
ON CREATE SET d.collection = row.collection, d.body = row.body, d.updated_at = row.updated_at
ON MATCH SET d.body = row.body, d.updated_at = row.updated_at
