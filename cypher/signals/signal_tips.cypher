// name: signal_tips
// purpose: tips with the address, plate, phone and (resolved) trader they mention.
// params: none
// mode: read
// requires: view_wpg, purpose
// used_by: graphfraud.detect (factory sites, networks)
MATCH (t:Tip)
OPTIONAL MATCH (t)-[:MENTIONS]->(a:Address)
OPTIONAL MATCH (t)-[:MENTIONS]->(v:Vehicle)
OPTIONAL MATCH (t)-[:MENTIONS]->(ph:Phone)
OPTIONAL MATCH (t)-[:MENTIONS]->(:NameMention)-[s:SAME_AS]->(tr:Trader)
WHERE s.status = 'linked'
RETURN t.tip_id AS tip_id, t.received_on AS received_on, a.address_key AS address_key,
       v.plate AS plate, ph.e164 AS phone, tr.trader_id AS trader_id
ORDER BY tip_id
