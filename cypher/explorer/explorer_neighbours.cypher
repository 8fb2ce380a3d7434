// name: explorer_neighbours
// purpose: up to `limit` distinct neighbours of a node (optionally of one label), in a stable
//   order (internal id), each with the relationships that join it to the centre.
// params:
//   id (string): internal id of the centre node
//   label (string, default null): only neighbours with this label
//   limit (int): most neighbours returned
// mode: read
// used_by: graphfraud.explore (neighbourhood)
MATCH (n) WHERE @id(n) = @id_value($id)
MATCH (n)--(m)
WHERE $label IS NULL OR $label IN labels(m)
WITH DISTINCT n, m
ORDER BY @id(m)
LIMIT $limit
MATCH (n)-[r]-(m)
RETURN m, collect(r) AS rels
