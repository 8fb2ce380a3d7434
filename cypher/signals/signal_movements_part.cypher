// name: signal_movements_part
// purpose: one part of the e-ADs of `signal_movements` (the same rows and columns but the
//   vehicles, which `signal_movement_plates_part` gives one per row), so the largest
//   detection input is read in parts of bounded size, as scalars only: the e-ADs whose
//   ARC ends in one of `chars`, or with `last`, every other e-AD (another last
//   character, or no ARC). Parts with disjoint `chars` and one `last` part over the rest
//   give every row once; `chars` [] with `last` is the whole input.
// params:
//   chars (list): last characters of the ARCs in this part
//   last (bool): this part is every e-AD whose ARC does not end in `chars`
// mode: read
// used_by: graphfraud.detect.runner (load_inputs)
MATCH (m:Movement)-[:CONSIGNED_BY]->(cr:Trader)
WHERE CASE WHEN $last THEN m.arc IS NULL OR NOT right(m.arc, 1) IN $chars
           ELSE right(m.arc, 1) IN $chars END
OPTIONAL MATCH (m)-[:CONSIGNED_TO]->(ce:Trader)
OPTIONAL MATCH (m)-[:DISPATCHED_FROM]->(:Premise)-[:LOCATED_AT]->(da:Address)
OPTIONAL MATCH (cr)-[:REGISTERED_AT]->(ca:Address)
OPTIONAL MATCH (m)-[:DELIVERED_TO]->(dst)
OPTIONAL MATCH (dst)-[:LOCATED_AT]->(dpa:Address)
WITH DISTINCT m, cr, ce, coalesce(da, ca) AS origin, coalesce(dpa, dst) AS dest
RETURN m.arc AS arc, cr.trader_id AS consignor, ce.trader_id AS consignee,
       m.destination_type AS destination_type, m.origin_type AS origin_type,
       m.dispatched_at AS dispatched_at, m.received_at AS received_at,
       m.journey_time AS journey_time, m.status AS status,
       m.receipt_conclusion AS receipt_conclusion,
       coalesce(m.destination_changes, 0) AS destination_changes,
       origin.lat AS from_lat, origin.lon AS from_lon, dest.lat AS to_lat, dest.lon AS to_lon,
       dest.address_key AS to_address, m.delivery_place AS delivery_place
ORDER BY arc
