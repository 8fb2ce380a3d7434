// name: explorer_risk
// purpose: the highest finding score of each node in a set (Finding nodes written by detect),
//   for colouring a network by risk.
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore (network colours)
// (one id seek per id: `ID(n) IN [list comprehension]` re-evaluated the list on every
// node of the graph, seconds on the medium world)
UNWIND $ids AS i
WITH DISTINCT toInteger(i) AS nid
MATCH (n) WHERE ID(n) = nid
MATCH (f:Finding)-[:CONCERNS]->(n)
RETURN toString(ID(n)) AS id, max(f.score) AS score, collect(f.finding_id) AS findings
