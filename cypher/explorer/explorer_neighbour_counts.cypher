// name: explorer_neighbour_counts
// purpose: how many distinct neighbours of each label a node has: the supernode guard looks
//   here before fetching anything.
// params:
//   id (string): internal id of the centre node
// mode: read
// used_by: graphfraud.explore (neighbourhood)
MATCH (n) WHERE @id(n) = @id_value($id)
MATCH (n)--(m)
WITH DISTINCT m
RETURN labels(m)[0] AS label, count(*) AS nodes
ORDER BY label
