// name: signal_movement_lines_part
// purpose: the lines of one part of the e-ADs (`signal_movements_part`'s `chars` and
//   `last`), one row per line: `signal_movement_lines` before its aggregation, which
//   `graphfraud.detect.frames.lines_by_arc` does (grouping in the engine cost it 0.9 s
//   of 1.0 s on the medium world).
// params:
//   chars (list): last characters of the ARCs in this part
//   last (bool): this part is every e-AD whose ARC does not end in `chars`
// mode: read
// used_by: graphfraud.detect.runner (load_inputs)
MATCH (m:Movement)-[:HAS_LINE]->(l:MovementLine)
WHERE CASE WHEN $last THEN m.arc IS NULL OR NOT right(m.arc, 1) IN $chars
           ELSE right(m.arc, 1) IN $chars END
RETURN m.arc AS arc, l.epc AS epc, l.brand AS brand, l.quantity AS quantity,
       l.shortage_or_excess AS shortage
