// name: explorer_rel_type_counts
// purpose: the relationship types each drawn node actually has, with how many of each: what
//   its node menu offers to expand by (not every type the model allows for its label).
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore (neighbourhood), ui explorer
UNWIND $ids AS i
MATCH (n) WHERE ID(n) = toInteger(i)
MATCH (n)-[r]-()
RETURN i AS id, type(r) AS type, count(r) AS relationships
ORDER BY id, type
