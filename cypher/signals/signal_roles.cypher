// name: signal_roles
// purpose: who stands behind which trader (director, shareholder, ubo, proxy, …) and since
//   when, with the person's name and home address (phoenix: a relative is the same surname
//   at the same home address).
// params: none
// mode: read
// used_by: graphfraud.detect (factory sites: directors with dissolved companies, ties to
//   front companies; phoenix: directors, proxies, relatives; supplier networks: shared people)
MATCH (p:Person)-[r:HAS_ROLE]->(t:Trader)
OPTIONAL MATCH (p)-[:LIVES_AT]->(h:Address)
RETURN p.person_id AS person_id, t.trader_id AS trader_id, r.role AS role,
       r.since AS since, r.until AS until, p.full_name AS full_name,
       h.address_key AS home_address
ORDER BY person_id, trader_id, role
