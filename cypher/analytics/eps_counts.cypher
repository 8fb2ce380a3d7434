// name: eps_counts
// purpose: Empty Pack Survey packs counted per year, municipality, collection route and
//   class: the input of the share estimates with their confidence intervals.
// params: none
// mode: read
// used_by: graphfraud eps, ui maps and trends (managers: aggregates only), tests
MATCH (p:EpsPack)-[:COLLECTED_IN]->(m:Municipality)
RETURN p.survey_year AS year, m.name AS municipality,
       coalesce(m.border_municipality, false) AS border, coalesce(p.route_id, '') AS route,
       p.classification AS classification, count(*) AS packs
ORDER BY year, municipality, route, classification
