// answers: linked venues - pairs of venues linked through a shared person, phone, vehicle, account or email (one connecting entity, 2 hops), with the connecting entities named and counted; `linkage venues` adds 3-hop chains, sites and the score
// params: $types (venue types to keep, e.g. ['car_wash'], or null for all), $force (force code or null), $limit
MATCH (v1:Entity)-[l1:LINKED]-(c:Entity)-[l2:LINKED]-(v2:Entity)
WHERE v1.entity_id < v2.entity_id
  AND c.entity_type IN ['person', 'phone', 'vehicle', 'account', 'email']
  AND ((v1.entity_type = 'business' AND NOT 'referrer' IN v1.roles)
       OR (v1.entity_type = 'location' AND ('exploitation' IN v1.roles OR 'venue' IN v1.roles)))
  AND ((v2.entity_type = 'business' AND NOT 'referrer' IN v2.roles)
       OR (v2.entity_type = 'location' AND ('exploitation' IN v2.roles OR 'venue' IN v2.roles)))
  AND (coalesce($force, '') = '' OR coalesce($force, '') IN v1.forces OR coalesce($force, '') IN v2.forces)
  AND (size(coalesce($types, [])) = 0
       OR any(t IN coalesce($types, []) WHERE v1.attrs CONTAINS t OR v2.attrs CONTAINS t))
WITH v1, v2, collect(DISTINCT c.entity_id) AS via, collect(DISTINCT c.label) AS via_labels,
     max(l1.last_seen) AS last1, max(l2.last_seen) AS last2
RETURN v1.entity_id AS venue_a, v1.label AS label_a, v1.forces AS forces_a,
       v2.entity_id AS venue_b, v2.label AS label_b, v2.forces AS forces_b,
       via, via_labels, size(via) AS connections,
       CASE WHEN last1 > last2 THEN last1 ELSE last2 END AS last_seen
ORDER BY connections DESC, last_seen DESC, venue_a, venue_b
LIMIT $limit
