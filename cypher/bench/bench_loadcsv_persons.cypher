// name: bench_loadcsv_persons
// purpose: benchmark anchor: persons.csv (persons, home addresses, phones, e-mails) with Neo4j's own LOAD CSV, in batches of
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
  MERGE (p:Person {person_id: row.person_id})
  SET p.full_name = row.full_name, p.birth_date = row.birth_date,
      p.nationality = row.nationality,
      p.sources = coalesce(p.sources, []) + CASE WHEN 'persons.csv' IN coalesce(p.sources, []) THEN [] ELSE ['persons.csv'] END
  FOREACH (x IN [v IN split(coalesce(row.phone, ''), ';') WHERE trim(v) <> ''] |
    MERGE (ph:Phone {e164: trim(x)}) MERGE (p)-[:HAS_PHONE]->(ph))
  FOREACH (m IN [v IN split(coalesce(row.email, ''), ';') WHERE trim(v) <> ''] |
    MERGE (em:Email {email: toLower(trim(m))}) MERGE (p)-[:HAS_EMAIL]->(em))
  WITH p, row WHERE row.postcode IS NOT NULL AND row.house_number IS NOT NULL
  MERGE (a:Address {address_key: toUpper(replace(row.postcode, ' ', '')) + '|' + toUpper(replace(row.house_number, ' ', ''))})
  SET a.street = row.street, a.house_number = row.house_number, a.postcode = row.postcode,
      a.city = row.city, a.country = coalesce(row.country, 'NL')
  MERGE (p)-[:LIVES_AT]->(a)
} IN TRANSACTIONS OF 2000 ROWS
