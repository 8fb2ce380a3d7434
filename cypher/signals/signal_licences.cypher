// name: signal_licences
// purpose: machine licences with holder, site (premise or address) and status.
// params: none
// mode: read
// used_by: graphfraud.detect.factory_sites (refused, revoked or expired licences)
MATCH (l:Licence)-[:COVERS]->(m:Machine)
OPTIONAL MATCH (l)-[:HELD_BY]->(h:Trader)
OPTIONAL MATCH (l)-[:FOR_SITE]->(sp:Premise)
OPTIONAL MATCH (l)-[:FOR_SITE]->(sa:Address)
OPTIONAL MATCH (sp)-[:LOCATED_AT]->(spa:Address)
RETURN l.licence_id AS licence_id, l.kind AS kind, l.status AS status,
       l.granted_on AS granted_on, l.valid_until AS valid_until, m.machine_id AS machine_id,
       h.trader_id AS holder, sp.premise_id AS site_premise,
       coalesce(sa.address_key, spa.address_key) AS site_address
ORDER BY licence_id
