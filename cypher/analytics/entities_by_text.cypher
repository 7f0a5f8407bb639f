// answers: search - entities whose label or canonical value contains the text (lower case, diacritics already folded by the caller); fuzzy ranking is done by `linkage search`
// params: $text (lower case), $types (list of entity types), $limit
MATCH (e:Entity)
WHERE e.entity_type IN $types
  AND (lower(e.label) CONTAINS $text OR e.value CONTAINS $text)
RETURN e.entity_id AS entity_id, e.entity_type AS entity_type, e.label AS label,
       e.forces AS forces, e.flags AS flags, e.report_count AS report_count
ORDER BY e.report_count DESC, e.entity_id
LIMIT $limit
