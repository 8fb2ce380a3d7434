// name: person_by_id
// purpose: one person with home address and the traders they stand behind (personal
//   data: only through a session that may open persons, with a purpose; audited).
// params:
//   person_id (string): the person's id in the source
// mode: read
// requires: view_persons, purpose
// used_by: graphfraud.security.session (view_person), ui explorer
MATCH (p:Person {person_id: $person_id})
OPTIONAL MATCH (p)-[:LIVES_AT]->(a:Address)
OPTIONAL MATCH (p)-[r:HAS_ROLE]->(t:Trader)
RETURN p.person_id AS person_id, p.full_name AS full_name, p.birth_date AS birth_date,
       a.address_key AS address_key, a.city AS city,
       collect(DISTINCT {trader_id: t.trader_id, role: r.role}) AS roles
