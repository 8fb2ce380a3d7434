// name: graph_relationships
// purpose: every relationship with its endpoints and properties, for the graph hash.
// params: none
// mode: read
// used_by: graphfraud.store.graphhash, tests
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, type(r) AS type, elementId(b) AS end, properties(r) AS props
