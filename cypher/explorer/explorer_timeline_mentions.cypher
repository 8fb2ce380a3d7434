// name: explorer_timeline_mentions
// purpose: retail checks and tips that name an entity through entity resolution (a name
//   mention linked SAME_AS to it), three steps away: the checks behind a supplier finding.
// params:
//   id (string): internal id of the entity
//   limit (int): most paths returned
// mode: read
// used_by: graphfraud.explore (timeline)
MATCH (n) WHERE @id(n) = @id_value($id)
MATCH p = (n)<-[:SAME_AS]-(:NameMention)-[:NAMED_IN]->(:CheckLine)<-[:HAS_CHECK_LINE]-(:RetailCheck)
RETURN p
LIMIT $limit
