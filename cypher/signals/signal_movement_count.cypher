// name: signal_movement_count
// purpose: how many e-ADs the graph holds: how many parts `signal_movements_part` reads
//   them in.
// params: none
// mode: read
// used_by: graphfraud.detect.runner (load_inputs)
MATCH (m:Movement)
RETURN count(m) AS n
