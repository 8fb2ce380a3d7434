// name: signal_movement_lines
// purpose: per e-AD with lines: its product codes and brands, the summed quantity and how
//   many lines were short. Joined onto `signal_movements` by ARC (an e-AD without lines
//   gets no codes, no brands, quantity 0, no short lines, as an OPTIONAL MATCH would).
//   `short_lines` is a count(), not a sum(): sum() is a float on the embedded engine.
// params: none
// mode: read
// used_by: graphfraud.detect (factory sites: precursor codes; retail chain: brands)
MATCH (m:Movement)-[:HAS_LINE]->(l:MovementLine)
RETURN m.arc AS arc, collect(DISTINCT l.epc) AS epcs, collect(DISTINCT l.brand) AS brands,
       sum(l.quantity) AS quantity,
       count(CASE WHEN l.shortage_or_excess = 'S' THEN 1 END) AS short_lines
ORDER BY arc
