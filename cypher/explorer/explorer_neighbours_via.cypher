// name: explorer_neighbours_via
// purpose: up to `limit` distinct neighbours of a node joined to it by one relationship type
//   (the node menu's "expand by relationship type"), in a stable order (internal id), each
//   with the relationships of that type that join it to the centre.
// params:
//   id (string): internal id of the centre node
//   type (string): the relationship type
//   limit (int): most neighbours returned
// mode: read
// used_by: graphfraud.explore (neighbourhood)
MATCH (n) WHERE @id(n) = @id_value($id)
MATCH (n)-[r]-(m)
WHERE type(r) = $type
WITH n, m, collect(r) AS rels
ORDER BY @id(m)
LIMIT $limit
RETURN m, rels
