// name: graph_nodes
// purpose: every node with its labels and properties, for the canonical graph hash that
//   proves a re-run or a resumed ingest gives the same graph.
// params: none
// mode: read
// used_by: graphfraud.store.graphhash, tests
// note: FalkorDB's line is kept to the letter (`id()`, which Cypher reads as `ID()`).
MATCH (n)
@neo4j: RETURN @id_text(n) AS id, labels(n) AS labels, properties(n) AS props
@falkordb: RETURN toString(id(n)) AS id, labels(n) AS labels, properties(n) AS props
