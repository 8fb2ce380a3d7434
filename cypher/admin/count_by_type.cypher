// name: count_by_type
// purpose: how many relationships of each type; the data page and `ingest` summaries.
// params: none
// mode: read
// used_by: ui data page, graphfraud ingest, graphfraud demo, tests
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS relationships
ORDER BY type
