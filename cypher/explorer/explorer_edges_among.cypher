// name: explorer_edges_among
// purpose: every relationship between two nodes of a given set: draws the links among the
//   neighbours (and a finding's subjects), not only the spokes to the centre.
// params:
//   ids (list): internal ids as strings
//   limit (int): most relationships returned
// mode: read
// used_by: graphfraud.explore (neighbourhood, finding subgraph)
// note: FalkorDB seeks each id with the id list built once (`ID(a) IN [list
//   comprehension]` scanned every node of the graph, seconds on the medium world).
@seek_each(a, $ids)
@keep_ids(a, $ids)
MATCH (a)-[r]->(b)
WHERE @in_ids(b, $ids)
RETURN r
LIMIT $limit
