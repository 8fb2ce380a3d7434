// name: er_traders
// purpose: every trader with its registered address: the candidates entity resolution
//   matches name mentions against.
// params: none
// mode: read
// used_by: ingest.resolution
MATCH (t:Trader)
OPTIONAL MATCH (t)-[:REGISTERED_AT]->(a:Address)
RETURN t.trader_id AS trader_id, t.name AS name, t.kvk_number AS kvk_number,
       t.excise_number AS excise_number, t.sbi_code AS sbi_code,
       t.excise_status AS excise_status, a.postcode AS postcode,
       a.house_number AS house_number, a.city AS city, a.street AS street,
       a.country AS country
ORDER BY trader_id
