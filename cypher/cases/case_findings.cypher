// name: case_findings
// purpose: the findings linked to a case, each as its run gave it (document is JSON).
// params:
//   case_id (string): the case
// mode: read
// used_by: graphfraud.cases (Session.case), case report
MATCH (:Case {case_id: $case_id})-[:HAS_FINDING]->(f:CaseFinding)
RETURN f.case_finding_id AS case_finding_id, f.finding_id AS finding_id,
       f.run_id AS run_id, f.kind AS kind, f.score AS score, f.title AS title,
       f.document AS document, f.data_hash AS data_hash, f.linked_at AS linked_at,
       f.linked_by AS linked_by
ORDER BY linked_at, case_finding_id
