// answers: linked venues - pairs of venues (businesses, or locations used for exploitation or as a venue) that use the same phone, directly or through a person at the venue
// params: $limit
MATCH (v1:Entity)-[:LINKED*1..2]-(p:Entity {entity_type: 'phone'})-[:LINKED*1..2]-(v2:Entity)
WHERE v1.entity_id < v2.entity_id
  AND ((v1.entity_type = 'business' AND NOT 'referrer' IN v1.roles)
       OR (v1.entity_type = 'location' AND ('exploitation' IN v1.roles OR 'venue' IN v1.roles)))
  AND ((v2.entity_type = 'business' AND NOT 'referrer' IN v2.roles)
       OR (v2.entity_type = 'location' AND ('exploitation' IN v2.roles OR 'venue' IN v2.roles)))
WITH v1, v2, collect(DISTINCT p.value) AS phones
RETURN v1.entity_id AS venue_a, v1.label AS label_a, v1.forces AS forces_a,
       v2.entity_id AS venue_b, v2.label AS label_b, v2.forces AS forces_b,
       phones, size(phones) AS shared
ORDER BY shared DESC, venue_a, venue_b
LIMIT $limit
