// answers: a stored setting such as the schema version
// params: $key
MATCH (m:Meta {key: $key})
RETURN m.value AS value
