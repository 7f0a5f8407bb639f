// answers: the canonical value of every record (the context resolution compares: shared phones, addresses, vehicles)
MATCH (r:Record)
RETURN r.record_id AS record_id, r.record_type AS record_type, r.value AS value
