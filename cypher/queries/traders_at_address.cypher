// name: traders_at_address
// purpose: every trader registered at an address, with how many of its people also
//   stand behind other traders there; phoenix and shell-company checks start here.
// params:
//   address_key (string): `POSTCODE|HOUSENUMBER`, e.g. 1234AB|12
// mode: read
// used_by: ui explorer, analyst library, tests (backend parity)
MATCH (a:Address {address_key: $address_key})<-[:REGISTERED_AT]-(t:Trader)
OPTIONAL MATCH (p:Person)-[:HAS_ROLE]->(t)
RETURN t.trader_id AS trader_id, t.name AS name, t.status AS status,
       t.registered_on AS registered_on, t.dissolved_on AS dissolved_on,
       count(DISTINCT p) AS people
ORDER BY registered_on, trader_id
