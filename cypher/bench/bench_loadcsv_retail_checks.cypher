// name: bench_loadcsv_retail_checks
// purpose: benchmark anchor: retail_checks.csv (checks, lines, outlets, stated suppliers) with Neo4j's own LOAD CSV, in batches of
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
  MERGE (c:RetailCheck {check_id: row.check_id})
  SET c.checked_on = row.checked_on, c.team = row.team, c.outcome = row.outcome,
      c.sources = coalesce(c.sources, []) + CASE WHEN 'retail_checks.csv' IN coalesce(c.sources, []) THEN [] ELSE ['retail_checks.csv'] END
  MERGE (l:CheckLine {line_id: row.check_id + '/' + toString(linenumber())})
  SET l.product = row.product, l.brand = row.brand, l.classification = row.classification,
      l.stamp_country = row.stamp_country, l.quantity = toFloat(row.quantity),
      l.unit = row.unit, l.seized = toBoolean(row.seized),
      l.stated_supplier = row.stated_supplier, l.invoice_number = row.invoice_number,
      l.fine_eur = toFloat(row.fine_eur), l.checked_on = row.checked_on
  MERGE (c)-[:HAS_CHECK_LINE]->(l)
  WITH c, l, row
  OPTIONAL MATCH (o:Trader {trader_id: row.outlet_trader_id})
  FOREACH (x IN CASE WHEN o IS NULL THEN [] ELSE [o] END | MERGE (c)-[:AT_OUTLET]->(x))
  WITH l, row
  OPTIONAL MATCH (s:Trader {trader_id: row.stated_supplier})
  FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (l)-[:STATED_SUPPLIER]->(x))
} IN TRANSACTIONS OF 2000 ROWS
