// name: bench_loadcsv_roles
// purpose: benchmark anchor: roles.csv (HAS_ROLE between persons and traders) with Neo4j's own LOAD CSV, in batches of
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
  MATCH (p:Person {person_id: row.person_id})
  MATCH (t:Trader {trader_id: row.trader_id})
  MERGE (p)-[r:HAS_ROLE {role: row.role}]->(t)
  SET r.since = row.since, r.until = row.until,
      r.sources = coalesce(r.sources, []) + CASE WHEN 'roles.csv' IN coalesce(r.sources, []) THEN [] ELSE ['roles.csv'] END
} IN TRANSACTIONS OF 2000 ROWS
