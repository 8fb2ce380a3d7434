// name: known_machines
// purpose: ids of machines already in the graph (reference checks of machine events).
// params: none
// mode: read
// used_by: ingest.run (reference index)
MATCH (m:Machine)
RETURN m.machine_id AS machine_id
