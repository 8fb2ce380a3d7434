// name: signal_movements
// purpose: every e-AD with consignor, consignee, dates, codes, receipt, vehicles, where it
//   left from and went to: the diversion detector's input. Its lines (product codes,
//   brands, quantity, short lines) come from `signal_movement_lines`, one row per e-AD,
//   joined by ARC in `graphfraud.detect.frames`: aggregating the lines here grouped the
//   rows by all twenty columns and sent ~30% more cells in one reply.
//   `delivery_place` is the declared place as text (a warehouse reference or an address),
//   the only trace of where an e-AD to an unknown consignee (type 8) was delivered.
// params: none
// mode: read
// used_by: graphfraud.detect.diversion, graphfraud.detect.retail_chain, factory sites
MATCH (m:Movement)-[:CONSIGNED_BY]->(cr:Trader)
OPTIONAL MATCH (m)-[:CONSIGNED_TO]->(ce:Trader)
OPTIONAL MATCH (m)-[:DISPATCHED_FROM]->(:Premise)-[:LOCATED_AT]->(da:Address)
OPTIONAL MATCH (cr)-[:REGISTERED_AT]->(ca:Address)
OPTIONAL MATCH (m)-[:DELIVERED_TO]->(dst)
OPTIONAL MATCH (dst)-[:LOCATED_AT]->(dpa:Address)
OPTIONAL MATCH (m)-[:CARRIED_BY]->(v:Vehicle)
WITH m, cr, ce, coalesce(da, ca) AS origin, coalesce(dpa, dst) AS dest,
     collect(DISTINCT v.plate) AS plates
RETURN m.arc AS arc, cr.trader_id AS consignor, ce.trader_id AS consignee,
       m.destination_type AS destination_type, m.origin_type AS origin_type,
       m.dispatched_at AS dispatched_at, m.received_at AS received_at,
       m.journey_time AS journey_time, m.status AS status,
       m.receipt_conclusion AS receipt_conclusion,
       coalesce(m.destination_changes, 0) AS destination_changes,
       origin.lat AS from_lat, origin.lon AS from_lon, dest.lat AS to_lat, dest.lon AS to_lon,
       dest.address_key AS to_address, m.delivery_place AS delivery_place, plates
ORDER BY arc
