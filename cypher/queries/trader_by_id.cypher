// name: trader_by_id
// purpose: one trader with its registered address, for the explorer's detail panel.
// params:
//   trader_id (string): the trader's id in the source (e.g. KVK:12345678)
// mode: read
// used_by: ui explorer, graphfraud query, tests (backend parity)
MATCH (t:Trader {trader_id: $trader_id})
OPTIONAL MATCH (t)-[:REGISTERED_AT]->(a:Address)
RETURN t.trader_id AS trader_id, t.name AS name, t.kvk_number AS kvk_number,
       t.excise_number AS excise_number, t.status AS status, a.address_key AS address_key,
       a.city AS city
