// name: er_tip_addresses
// purpose: tips that state a street, house number and place but no postcode (so they
//   reach no Address by key), for address resolution; the addresses a reviewer rejected
//   for a tip are listed so they are never linked again.
// params: none
// mode: read
// requires: view_wpg
// used_by: ingest.resolution
MATCH (t:Tip)
WHERE t.mentioned_street IS NOT NULL AND t.mentioned_house_number IS NOT NULL
  AND t.mentioned_city IS NOT NULL
OPTIONAL MATCH (t)-[r:MENTIONS]->(a:Address)
WITH t, collect(CASE WHEN r.status = 'rejected' THEN a.address_key END) AS rejected
RETURN t.tip_id AS tip_id, t.mentioned_street AS street,
       t.mentioned_house_number AS house_number, t.mentioned_city AS city, rejected
ORDER BY tip_id
