// name: explorer_risk
// purpose: the highest finding score of each node in a set (Finding nodes written by detect),
//   for colouring a network by risk.
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore (network colours)
MATCH (f:Finding)-[:CONCERNS]->(n)
WHERE ID(n) IN [i IN $ids | toInteger(i)]
RETURN toString(ID(n)) AS id, max(f.score) AS score, collect(f.finding_id) AS findings
