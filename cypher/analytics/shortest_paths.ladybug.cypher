// answers: paths - all the shortest paths (at most 4 hops) between two entities, with the link types and supporting reports on every hop (LadybugDB: ALL SHORTEST inside the relationship pattern, list_transform for comprehensions)
// params: $a (entity id), $b (entity id)
MATCH p = (a:Entity {entity_id: $a})-[:LINKED* ALL SHORTEST 1..4]-(b:Entity {entity_id: $b})
RETURN list_transform(nodes(p), n -> n.entity_id) AS entity_ids,
       list_transform(nodes(p), n -> n.label) AS labels,
       list_transform(rels(p), r -> r.link_type) AS link_types,
       list_transform(rels(p), r -> r.report_ids) AS report_ids,
       list_transform(rels(p), r -> r.conditions) AS conditions,
       length(p) AS hops
