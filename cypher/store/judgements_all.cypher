// answers: every analyst judgement, oldest first
MATCH (j:Judgement)
RETURN j.judgement_id AS judgement_id,
       j.record_a AS record_a,
       j.record_b AS record_b,
       j.decision AS decision,
       j.by AS by,
       j.reason AS reason,
       j.at AS at,
       j.undone AS undone,
       j.undone_by AS undone_by,
       j.undone_at AS undone_at
ORDER BY j.at, j.judgement_id
