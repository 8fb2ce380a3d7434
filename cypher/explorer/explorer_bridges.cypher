// name: explorer_bridges
// purpose: the nodes that tie two or more of a set together (a shared director, address,
//   phone, a movement between two traders): they make a finding's subjects one network
//   instead of unconnected pairs. Register-wide nodes (municipalities, EPS packs) are left out.
// params:
//   ids (list): internal ids as strings
//   skip (list): labels never used as a bridge
//   limit (int): most bridges returned, those touching the most nodes of the set first
// mode: read
// used_by: graphfraud.explore (finding subgraph)
// note: FalkorDB seeks each id with the id list built once (`ID(a) IN [list
//   comprehension]` scanned every node of the graph).
@seek_each(a, $ids)
@keep_ids(a, $ids)
MATCH (a)--(m)
WHERE NOT @in_ids(m, $ids) AND NOT labels(m)[0] IN $skip
WITH m, count(DISTINCT a) AS touches
WHERE touches >= 2
RETURN m, touches
ORDER BY touches DESC, @id(m)
LIMIT $limit
