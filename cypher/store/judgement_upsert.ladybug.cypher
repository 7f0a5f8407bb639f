// answers: stores an analyst's judgement (or its undoing)
// params: $rows [{judgement_id, record_a, record_b, decision, by, reason, at, undone, undone_by, undone_at}]
// dialect: LadybugDB types a NULL struct field as STRING, so timestamps are cast explicitly
UNWIND $rows AS row
WITH row, row.judgement_id AS k
MERGE (j:Judgement {judgement_id: k})
ON CREATE SET j.record_a = row.record_a, j.record_b = row.record_b, j.decision = row.decision,
              j.by = row.by, j.reason = row.reason, j.at = CAST(row.at AS TIMESTAMP), j.undone = row.undone,
              j.undone_by = row.undone_by, j.undone_at = CAST(row.undone_at AS TIMESTAMP)
ON MATCH SET j.undone = row.undone, j.undone_by = row.undone_by, j.undone_at = CAST(row.undone_at AS TIMESTAMP)
