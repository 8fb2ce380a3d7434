// name: graph_relationships
// purpose: every relationship with its endpoints and properties, for the graph hash.
// params: none
// mode: read
// used_by: graphfraud.store.graphhash, tests
// note: FalkorDB's line is kept to the letter (`id()`, which Cypher reads as `ID()`).
MATCH (a)-[r]->(b)
@neo4j: RETURN @id_text(a) AS start, type(r) AS type, @id_text(b) AS end, properties(r) AS props
@falkordb: RETURN toString(id(a)) AS start, type(r) AS type, toString(id(b)) AS end, properties(r) AS props
