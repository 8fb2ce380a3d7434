// name: data_label_counts
// purpose: how many nodes carry each label, from the engine's own statistics (O(1)): the
//   data page. The same numbers as `count_by_label` (labels without nodes are left out).
// pair: the counts come from each engine's own statistics procedure (Neo4j
//   db.stats.retrieve, FalkorDB db.meta.stats), which share nothing but the result
// params: none
// mode: read
// used_by: ui data page
CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
UNWIND data.nodes AS n
WITH n
WHERE n.label IS NOT NULL AND n.count > 0
RETURN n.label AS label, n.count AS nodes
ORDER BY label
