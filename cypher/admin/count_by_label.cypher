// name: count_by_label
// purpose: how many nodes carry each label; the data page and `ingest` summaries.
// params: none
// mode: read
// used_by: ui data page, graphfraud ingest, graphfraud demo, tests
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS nodes
ORDER BY label
