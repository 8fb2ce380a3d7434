// name: signal_movement_plates_part
// purpose: the vehicles of one part of the e-ADs (`signal_movements_part`'s `chars` and
//   `last`), one row per e-AD and plate: `signal_movements`' `plates` as rows, so the
//   e-ADs come as scalars only.
// params:
//   chars (list): last characters of the ARCs in this part
//   last (bool): this part is every e-AD whose ARC does not end in `chars`
// mode: read
// used_by: graphfraud.detect.runner (load_inputs)
MATCH (m:Movement)-[:CARRIED_BY]->(v:Vehicle)
WHERE v.plate IS NOT NULL AND CASE WHEN $last
      THEN m.arc IS NULL OR NOT right(m.arc, 1) IN $chars ELSE right(m.arc, 1) IN $chars END
RETURN DISTINCT m.arc AS arc, v.plate AS plate
ORDER BY arc, plate
