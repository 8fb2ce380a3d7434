// name: explorer_nodes_by_ids
// purpose: nodes by the store's internal ids (as the explorer got them from an earlier answer).
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore
// note: FalkorDB seeks row by row (a repeated id gives its node again); Neo4j filters
//   by the list.
@neo4j: MATCH (n) WHERE @in_ids(n, $ids)
@falkordb: UNWIND $ids AS i
@falkordb: MATCH (n) WHERE @id(n) = @id_value(i)
RETURN n
