// name: data_label_counts
// purpose: how many nodes carry each label, from the engine's own statistics (O(1)): the
//   data page. The same numbers as `count_by_label` (labels without nodes are left out).
// pair: the counts come from each engine's own statistics procedure (Neo4j
//   db.stats.retrieve, FalkorDB db.meta.stats), which share nothing but the result
// params: none
// mode: read
// used_by: ui data page
CALL db.meta.stats() YIELD labels
UNWIND keys(labels) AS label
WITH label, labels[label] AS nodes
WHERE nodes > 0
RETURN label, nodes
ORDER BY label
