// name: bench_loadcsv_eps_packs
// purpose: benchmark anchor: eps_packs.csv (empty packs and their municipalities) with Neo4j's own LOAD CSV, in batches of
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
  MERGE (p:EpsPack {pack_id: row.pack_id})
  SET p.survey_year = toInteger(row.survey_year), p.wave = row.wave, p.route_id = row.route_id,
      p.collected_on = row.collected_on, p.lat = toFloat(row.lat), p.lon = toFloat(row.lon),
      p.brand = row.brand, p.stamp_country = row.stamp_country,
      p.warning_language = row.warning_language, p.classification = row.classification,
      p.pack_size = toInteger(row.pack_size),
      p.sources = coalesce(p.sources, []) + CASE WHEN 'eps_packs.csv' IN coalesce(p.sources, []) THEN [] ELSE ['eps_packs.csv'] END
  MERGE (mu:Municipality {name: row.municipality})
  SET mu.border_municipality = toBoolean(row.border_municipality)
  MERGE (p)-[:COLLECTED_IN]->(mu)
} IN TRANSACTIONS OF 2000 ROWS
