// name: signal_eps_packs
// purpose: illicit-white EMPTY packs with the brand and where they were picked up: for
//   brands rare nationally but concentrated within a kilometre or so of a site (the
//   factory's own brand in the litter around it). Packs without coordinates fall back
//   to nothing here; the per-municipality share (`eps_counts`) still counts them.
// params: none
// mode: read
// used_by: graphfraud.detect.factory_sites
MATCH (p:EpsPack)
WHERE p.classification = 'illicit_white' AND p.brand IS NOT NULL
  AND p.lat IS NOT NULL AND p.lon IS NOT NULL
OPTIONAL MATCH (p)-[:COLLECTED_IN]->(m:Municipality)
RETURN p.pack_id AS pack_id, p.survey_year AS year, p.brand AS brand,
       p.lat AS lat, p.lon AS lon, m.name AS municipality
ORDER BY pack_id
