// answers: how many records there are, and how many are resolved to an entity (the difference
// is what the next resolution has to do; counting the two is far cheaper than looking for
// records without an entity)
MATCH (r:Record)
WITH count(r) AS records
OPTIONAL MATCH (:Record)-[m:RESOLVED_TO]->(:Entity)
RETURN records, count(m) AS resolved
