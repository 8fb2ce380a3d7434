// name: findings_previous
// purpose: the findings the last detect run wrote back, before a new run replaces them:
//   what the run-to-run comparison compares with.
// params: none
// mode: read
// used_by: graphfraud.detect.changes (called once by the runner)
MATCH (f:Finding)
RETURN f.finding_id AS finding_id, f.kind AS kind, f.score AS score, f.run_id AS run_id
ORDER BY finding_id
