// name: explorer_timeline
// purpose: paths of one or two steps from a node to dated events (movements, checks, licences,
//   tips, seizures, machine events) and its own dated relationships (roles, leases).
// params:
//   id (string): internal id of the entity
//   labels (list): labels of the dated events
//   limit (int): most paths returned
// mode: read
// used_by: graphfraud.explore (timeline)
MATCH (n) WHERE @id(n) = @id_value($id)
MATCH p = (n)-[*1..2]-(e)
WHERE length(p) = 1 OR any(l IN labels(e) WHERE l IN $labels)
RETURN p
LIMIT $limit
