// name: explorer_findings_in_graph
// purpose: Finding nodes written by detect, with how many subjects each concerns.
// params: none
// mode: read
// used_by: ui findings, ui data page
MATCH (f:Finding)
OPTIONAL MATCH (f)-[:CONCERNS]->(s)
RETURN f.finding_id AS finding_id, f.kind AS kind, f.score AS score, f.rank AS rank,
       f.run_id AS run_id, count(s) AS subjects
ORDER BY rank
