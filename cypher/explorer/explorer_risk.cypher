// name: explorer_risk
// purpose: the highest finding score of each node in a set (Finding nodes written by detect),
//   for colouring a network by risk.
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore (network colours)
// note: FalkorDB seeks each id first (`ID(n) IN [list comprehension]` re-evaluated the
//   list on every node of the graph, seconds on the medium world); Neo4j filters the match.
@falkordb: @seek_each(n, $ids)
MATCH (f:Finding)-[:CONCERNS]->(n)
@neo4j: WHERE @in_ids(n, $ids)
RETURN @id_text(n) AS id, max(f.score) AS score, collect(f.finding_id) AS findings
