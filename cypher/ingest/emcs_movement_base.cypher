// name: emcs_movement_base
// purpose: movements in the graph that came without an XML e-AD (from movements.csv):
//   the header and the lines of their current sequence, so an EMCS follow-up for one
//   of them folds onto it instead of waiting for an IE801 that will never come.
// params:
//   arcs (list): ARCs of follow-ups that have no IE801 in the graph or the delivery
// mode: read
// used_by: ingest.emcs (follow-ups across deliveries)
UNWIND $arcs AS arc
MATCH (m:Movement {arc: arc})-[:HAS_LINE]->(l:MovementLine)
WHERE l.sequence = m.sequence
WITH m, l ORDER BY l.line
RETURN m.arc AS arc, properties(m) AS movement, collect(properties(l)) AS lines
