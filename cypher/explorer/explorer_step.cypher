// name: explorer_step
// purpose: one breadth-first step of the path searches: every relationship of the frontier
//   nodes, with the neighbour's label and the dates that order a time-respecting path.
// params:
//   ids (list): internal ids of the frontier, as strings
//   limit (int): most rows returned (the search's budget)
// mode: read
// used_by: graphfraud.explore (shortest path, time-respecting path)
// note: `outgoing` compares with the frontier's string id on Neo4j, with the matched
//   node's id on FalkorDB.
UNWIND $ids AS i
MATCH (a) WHERE @id(a) = @id_value(i)
MATCH (a)-[r]-(m)
RETURN i AS src, @id_text(m) AS dst, @id_text(r) AS rel_id, type(r) AS type,
@neo4j:        @id(startNode(r)) = i AS outgoing, labels(m)[0] AS label,
@falkordb:        @id(startNode(r)) = @id(a) AS outgoing, labels(m)[0] AS label,
       coalesce(r.since, r.lease_start) AS rel_date,
       coalesce(m.dispatched_at, m.seized_on, m.received_on, m.checked_on, m.granted_on, m.at) AS node_date
LIMIT $limit
