// name: case_notes
// purpose: a case's notes and status changes, oldest first.
// params:
//   case_id (string): the case
// mode: read
// used_by: graphfraud.cases (Session.case), case report
MATCH (:Case {case_id: $case_id})-[:HAS_NOTE]->(n:Note)
RETURN n.note_id AS note_id, n.kind AS kind, n.text AS text, n.author AS author,
       n.created_at AS created_at, n.target AS target, n.from_status AS from_status,
       n.to_status AS to_status
ORDER BY created_at, note_id
