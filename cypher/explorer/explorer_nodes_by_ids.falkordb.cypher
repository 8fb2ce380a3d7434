// name: explorer_nodes_by_ids
// purpose: nodes by the store's internal ids (as the explorer got them from an earlier answer).
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore
UNWIND $ids AS i
MATCH (n) WHERE ID(n) = toInteger(i)
RETURN n
