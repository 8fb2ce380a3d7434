// name: bench_sample_keys
// purpose: every trader with its registered address, in key order, for the query
//   benchmark to pick evenly spaced inputs from (the same on both stores).
// params: none
// mode: read
// used_by: bench queries
MATCH (t:Trader)-[:REGISTERED_AT]->(a:Address)
RETURN t.trader_id AS trader_id, t.name_norm AS name_norm, a.address_key AS address_key,
       t.kvk_number AS kvk, t.excise_number AS excise, a.postcode AS postcode
ORDER BY trader_id
