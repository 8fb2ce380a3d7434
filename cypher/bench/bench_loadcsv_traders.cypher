// name: bench_loadcsv_traders
// purpose: benchmark anchor: traders.csv (traders, registered addresses, phones, e-mails) with Neo4j's own LOAD CSV, in batches of
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
  MERGE (t:Trader {trader_id: row.trader_id})
  SET t.name = row.name, t.kvk_number = row.kvk_number, t.excise_number = row.excise_number,
      t.vat_number = row.vat_number, t.legal_form = row.legal_form, t.sbi_code = row.sbi_code,
      t.excise_status = row.excise_status, t.status = row.status,
      t.registered_on = row.registered_on, t.dissolved_on = row.dissolved_on,
      t.country = row.country, t.is_chain = toBoolean(row.is_chain),
      t.name_norm = toLower(row.name),
      t.sources = coalesce(t.sources, []) + CASE WHEN 'traders.csv' IN coalesce(t.sources, []) THEN [] ELSE ['traders.csv'] END
  FOREACH (p IN [x IN split(coalesce(row.phone, ''), ';') WHERE trim(x) <> ''] |
    MERGE (ph:Phone {e164: trim(p)}) MERGE (t)-[:HAS_PHONE]->(ph))
  FOREACH (m IN [x IN split(coalesce(row.email, ''), ';') WHERE trim(x) <> ''] |
    MERGE (em:Email {email: toLower(trim(m))}) MERGE (t)-[:HAS_EMAIL]->(em))
  WITH t, row WHERE row.postcode IS NOT NULL AND row.house_number IS NOT NULL
  MERGE (a:Address {address_key: toUpper(replace(row.postcode, ' ', '')) + '|' + toUpper(replace(row.house_number, ' ', ''))})
  SET a.street = row.street, a.house_number = row.house_number, a.postcode = row.postcode,
      a.city = row.city, a.country = coalesce(row.country, 'NL'),
      a.lat = toFloat(row.lat), a.lon = toFloat(row.lon)
  MERGE (t)-[:REGISTERED_AT]->(a)
} IN TRANSACTIONS OF 2000 ROWS
