// name: signal_seizures
// purpose: seizures with what (also precursors), where and who or what was involved.
// params: none
// mode: read
// requires: view_wpg, purpose
// used_by: graphfraud.detect (factory sites: precursor seizures; networks: seizures)
MATCH (s:Seizure)
OPTIONAL MATCH (s)-[:SEIZED_AT]->(a:Address)
OPTIONAL MATCH (s)-[:INVOLVES]->(t:Trader)
OPTIONAL MATCH (s)-[:INVOLVES]->(v:Vehicle)
RETURN s.seizure_id AS seizure_id, s.seized_on AS seized_on, s.context AS context,
       s.product AS product, s.classification AS classification, s.quantity AS quantity,
       a.address_key AS address_key, a.city AS city, coalesce(s.lat, a.lat) AS lat,
       coalesce(s.lon, a.lon) AS lon, t.trader_id AS trader_id, v.plate AS plate
ORDER BY seizure_id
