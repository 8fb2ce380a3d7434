// name: signal_movement_lines_part
// purpose: one part of `signal_movement_lines` (the same columns and rows), the e-ADs
//   chosen by the last character of their ARC as in `signal_movements_part`.
// params:
//   chars (list): last characters of the ARCs in this part
//   last (bool): this part is every e-AD whose ARC does not end in `chars`
// mode: read
// used_by: graphfraud.detect.runner (load_inputs)
MATCH (m:Movement)-[:HAS_LINE]->(l:MovementLine)
WHERE CASE WHEN $last THEN m.arc IS NULL OR NOT right(m.arc, 1) IN $chars
           ELSE right(m.arc, 1) IN $chars END
RETURN m.arc AS arc, collect(DISTINCT l.epc) AS epcs, collect(DISTINCT l.brand) AS brands,
       sum(l.quantity) AS quantity,
       count(CASE WHEN l.shortage_or_excess = 'S' THEN 1 END) AS short_lines
ORDER BY arc
