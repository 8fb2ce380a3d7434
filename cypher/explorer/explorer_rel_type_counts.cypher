// name: explorer_rel_type_counts
// purpose: the relationship types each drawn node actually has, with how many of each: what
//   its node menu offers to expand by (not every type the model allows for its label).
// params:
//   ids (list): internal ids as strings
// mode: read
// used_by: graphfraud.explore (neighbourhood), ui explorer
@seek_each(n, $ids)
MATCH (n)-[r]-()
RETURN @id_text(n) AS id, type(r) AS type, count(r) AS relationships
ORDER BY id, type
