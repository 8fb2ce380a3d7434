// name: bench_loadcsv_movements
// purpose: benchmark anchor: movements.csv (e-ADs, their lines, consignor, consignee, dispatch place, delivery address, vehicles) with Neo4j's own LOAD CSV, in batches of
//   2000 rows (CALL { } IN TRANSACTIONS: run it in an auto-commit transaction). Same
//   labels, keys and relationships as the ingest loaders; no validation, quarantine or
//   phone/e-mail normalisation (addresses keyed by the NL postcode|number rule).
// params:
//   url (string): file URL under the server's import folder, e.g. file:///traders.csv
// mode: write
// used_by: bench ingest_neo4j
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MERGE (m:Movement {arc: row.arc})
  SET m.sequence = toInteger(row.sequence),
      m.consignor_excise_number = row.consignor_excise_number,
      m.consignee_excise_number = row.consignee_excise_number,
      m.consignee_name = row.consignee_name, m.destination_type = row.destination_type,
      m.origin_type = row.origin_type, m.dispatched_at = row.dispatched_at,
      m.journey_time = row.journey_time, m.transport_mode = row.transport_mode,
      m.transporter_name = row.transporter_name, m.guarantor_type = row.guarantor_type,
      m.status = row.status, m.received_at = row.received_at,
      m.receipt_conclusion = row.receipt_conclusion, m.cancelled_at = row.cancelled_at,
      m.destination_changes = toInteger(row.destination_changes),
      m.delivery_place = row.delivery_place,
      m.sources = coalesce(m.sources, []) + CASE WHEN 'movements.csv' IN coalesce(m.sources, []) THEN [] ELSE ['movements.csv'] END
  MERGE (l:MovementLine {line_id: row.arc + '/' + coalesce(row.sequence, '1') + '/' + coalesce(row.line, '1')})
  SET l.arc = row.arc, l.line = toInteger(row.line), l.epc = row.epc, l.cn_code = row.cn_code,
      l.brand = row.brand, l.quantity = toFloat(row.quantity), l.unit = row.unit,
      l.shortage_or_excess = row.shortage_or_excess,
      l.observed_difference = toFloat(row.observed_difference)
  MERGE (m)-[:HAS_LINE]->(l)
  WITH m, row
  OPTIONAL MATCH (c:Trader {excise_number: row.consignor_excise_number})
  FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | MERGE (m)-[:CONSIGNED_BY]->(x))
  WITH m, row
  OPTIONAL MATCH (d:Trader {excise_number: row.consignee_excise_number})
  FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (m)-[:CONSIGNED_TO]->(x))
  WITH m, row
  OPTIONAL MATCH (pd:Premise {excise_number: row.place_of_dispatch})
  FOREACH (x IN CASE WHEN pd IS NULL THEN [] ELSE [pd] END | MERGE (m)-[:DISPATCHED_FROM]->(x))
  FOREACH (plate IN [v IN split(coalesce(row.vehicle_plate, ''), ';') WHERE trim(v) <> ''] |
    MERGE (vh:Vehicle {plate: toUpper(replace(replace(trim(plate), '-', ''), ' ', ''))})
    MERGE (m)-[:CARRIED_BY]->(vh))
  WITH m, row
  OPTIONAL MATCH (pl:Premise {excise_number: row.delivery_place})
  FOREACH (x IN CASE WHEN pl IS NULL THEN [] ELSE [pl] END | MERGE (m)-[:DELIVERED_TO]->(x))
  WITH m, row, pl WHERE pl IS NULL AND row.consignee_postcode IS NOT NULL AND row.consignee_street IS NOT NULL
  MERGE (a:Address {address_key: toUpper(replace(row.consignee_postcode, ' ', '')) + '|' + toUpper(last(split(row.consignee_street, ' ')))})
  SET a.street = row.consignee_street, a.postcode = row.consignee_postcode,
      a.city = row.consignee_city, a.country = coalesce(row.consignee_country, 'NL')
  MERGE (m)-[:DELIVERED_TO]->(a)
} IN TRANSACTIONS OF 2000 ROWS
