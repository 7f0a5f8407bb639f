// answers: paths - all the shortest paths (at most 4 hops) between two entities, with the link types and supporting reports on every hop
// params: $a (entity id), $b (entity id)
MATCH p = ALL SHORTEST (a:Entity {entity_id: $a})-[:LINKED]-{1,4}(b:Entity {entity_id: $b})
RETURN [n IN nodes(p) | n.entity_id] AS entity_ids,
       [n IN nodes(p) | n.label] AS labels,
       [r IN relationships(p) | r.link_type] AS link_types,
       [r IN relationships(p) | r.report_ids] AS report_ids,
       [r IN relationships(p) | r.conditions] AS conditions,
       length(p) AS hops
