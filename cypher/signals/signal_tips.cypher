// name: signal_tips
// purpose: tips with the address, plate, phone and (resolved) trader they mention. An
//   address a tip gave without a postcode counts only when address resolution linked it
//   (`address_match` says how: 'postcode' or 'street_number_place', with its score);
//   candidates for review do not count.
// params: none
// mode: read
// requires: view_wpg, purpose
// used_by: graphfraud.detect (factory sites, networks)
MATCH (t:Tip)
OPTIONAL MATCH (t)-[m:MENTIONS]->(a:Address)
WHERE m.status IS NULL OR m.status = 'linked'
OPTIONAL MATCH (t)-[:MENTIONS]->(v:Vehicle)
OPTIONAL MATCH (t)-[:MENTIONS]->(ph:Phone)
OPTIONAL MATCH (t)-[:MENTIONS]->(:NameMention)-[s:SAME_AS]->(tr:Trader)
WHERE s.status = 'linked'
RETURN t.tip_id AS tip_id, t.received_on AS received_on, a.address_key AS address_key,
       CASE WHEN a IS NULL THEN NULL ELSE coalesce(m.method, 'postcode') END AS address_match,
       m.score AS address_score,
       v.plate AS plate, ph.e164 AS phone, tr.trader_id AS trader_id
ORDER BY tip_id
