// name: graph_relationships
// purpose: every relationship with its endpoints and properties, for the graph hash.
// params: none
// mode: read
// used_by: graphfraud.store.graphhash, tests
MATCH (a)-[r]->(b)
RETURN toString(id(a)) AS start, type(r) AS type, toString(id(b)) AS end, properties(r) AS props
