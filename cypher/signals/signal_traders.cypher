// name: signal_traders
// purpose: every trader with status, dates, activity code, excise status and registered
//   address (key, street, number, postcode, city, coordinates): the base table of every
//   detector.
// params: none
// mode: read
// used_by: graphfraud.detect (all detectors)
MATCH (t:Trader)
OPTIONAL MATCH (t)-[:REGISTERED_AT]->(a:Address)
RETURN t.trader_id AS trader_id, t.name AS name, t.status AS status,
       t.registered_on AS registered_on, t.dissolved_on AS dissolved_on,
       t.sbi_code AS sbi_code, t.excise_status AS excise_status,
       t.excise_number AS excise_number, t.legal_form AS legal_form, t.is_chain AS is_chain,
       a.address_key AS address_key, a.street AS street, a.house_number AS house_number,
       a.postcode AS postcode, a.city AS city, a.lat AS lat, a.lon AS lon
ORDER BY trader_id
