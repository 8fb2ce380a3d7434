// name: explorer_edges_among
// purpose: every relationship between two nodes of a given set: draws the links among the
//   neighbours (and a finding's subjects), not only the spokes to the centre.
// params:
//   ids (list): internal ids as strings
//   limit (int): most relationships returned
// mode: read
// used_by: graphfraud.explore (neighbourhood, finding subgraph)
// (one id seek per id, the id list built once: `ID(a) IN [list comprehension]` scanned
// every node of the graph, seconds on the medium world)
UNWIND $ids AS i
WITH DISTINCT toInteger(i) AS nid
MATCH (a) WHERE ID(a) = nid
WITH a, [i IN $ids | toInteger(i)] AS want
MATCH (a)-[r]->(b)
WHERE ID(b) IN want
RETURN r
LIMIT $limit
