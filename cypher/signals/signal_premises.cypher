// name: signal_premises
// purpose: premises with kind, lease, address (key, and street, number, postcode, city for
//   titles) and operator: the candidates for factory sites.
// params: none
// mode: read
// used_by: graphfraud.detect.factory_sites
MATCH (p:Premise)
OPTIONAL MATCH (p)-[:LOCATED_AT]->(a:Address)
OPTIONAL MATCH (t:Trader)-[o:OPERATES]->(p)
RETURN p.premise_id AS premise_id, p.kind AS kind, p.excise_number AS excise_number,
       coalesce(o.lease_start, p.lease_start) AS lease_start, p.lease_end AS lease_end,
       a.address_key AS address_key, a.street AS street, a.house_number AS house_number,
       a.postcode AS postcode, a.city AS city,
       coalesce(p.lat, a.lat) AS lat, coalesce(p.lon, a.lon) AS lon,
       t.trader_id AS operator
ORDER BY premise_id, operator
