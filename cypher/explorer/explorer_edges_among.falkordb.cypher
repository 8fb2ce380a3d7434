// name: explorer_edges_among
// purpose: every relationship between two nodes of a given set: draws the links among the
//   neighbours (and a finding's subjects), not only the spokes to the centre.
// params:
//   ids (list): internal ids as strings
//   limit (int): most relationships returned
// mode: read
// used_by: graphfraud.explore (neighbourhood, finding subgraph)
MATCH (a) WHERE ID(a) IN [i IN $ids | toInteger(i)]
MATCH (a)-[r]->(b)
WHERE ID(b) IN [i IN $ids | toInteger(i)]
RETURN r
LIMIT $limit
