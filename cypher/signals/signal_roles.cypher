// name: signal_roles
// purpose: who stands behind which trader (director, shareholder, ubo, …) and since when.
// params: none
// mode: read
// used_by: graphfraud.detect (factory sites: directors with dissolved companies; phoenix;
//   supplier networks: shared people)
MATCH (p:Person)-[r:HAS_ROLE]->(t:Trader)
RETURN p.person_id AS person_id, t.trader_id AS trader_id, r.role AS role,
       r.since AS since, r.until AS until
ORDER BY person_id, trader_id, role
