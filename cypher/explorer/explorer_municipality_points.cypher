// name: explorer_municipality_points
// purpose: a point per municipality (the mean position of its collected EPS packs) with its
//   border flag: the maps page draws on these without map tiles.
// params: none
// mode: read
// used_by: ui maps and trends
MATCH (p:EpsPack)-[:COLLECTED_IN]->(m:Municipality)
WHERE p.lat IS NOT NULL AND p.lon IS NOT NULL
RETURN m.name AS municipality, coalesce(m.border_municipality, false) AS border,
       avg(p.lat) AS lat, avg(p.lon) AS lon, count(*) AS packs
ORDER BY municipality
