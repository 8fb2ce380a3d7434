// name: bench_loadcsv_premises
// purpose: benchmark anchor: premises.csv (premises, their addresses and operators) with Neo4j's own LOAD CSV, in batches of
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
  MERGE (pr:Premise {premise_id: row.premise_id})
  SET pr.kind = row.kind, pr.excise_number = row.excise_number,
      pr.lease_start = row.lease_start, pr.lease_end = row.lease_end,
      pr.floor_area_m2 = toFloat(row.floor_area_m2), pr.lat = toFloat(row.lat),
      pr.lon = toFloat(row.lon),
      pr.sources = coalesce(pr.sources, []) + CASE WHEN 'premises.csv' IN coalesce(pr.sources, []) THEN [] ELSE ['premises.csv'] END
  FOREACH (op IN CASE WHEN row.operator_trader_id IS NULL THEN [] ELSE [row.operator_trader_id] END |
    MERGE (t:Trader {trader_id: op}) MERGE (t)-[:OPERATES]->(pr))
  WITH pr, row WHERE row.postcode IS NOT NULL AND row.house_number IS NOT NULL
  MERGE (a:Address {address_key: toUpper(replace(row.postcode, ' ', '')) + '|' + toUpper(replace(row.house_number, ' ', ''))})
  SET a.street = row.street, a.house_number = row.house_number, a.postcode = row.postcode,
      a.city = row.city, a.country = coalesce(row.country, 'NL')
  MERGE (pr)-[:LOCATED_AT]->(a)
} IN TRANSACTIONS OF 2000 ROWS
