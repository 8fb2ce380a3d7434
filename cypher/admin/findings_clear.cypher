// name: findings_clear
// purpose: remove the findings written back by earlier detect runs (a run replaces them).
// params: none
// mode: write
// used_by: graphfraud.detect.runner (write back)
MATCH (f:Finding)
DETACH DELETE f
RETURN count(*) AS removed
