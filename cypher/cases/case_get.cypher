// name: case_get
// purpose: one case's own properties.
// params:
//   case_id (string): the case
// mode: read
// used_by: graphfraud.cases (Session.case), case report
MATCH (c:Case {case_id: $case_id})
RETURN c.case_id AS case_id, c.reference AS reference, c.title AS title,
       c.status AS status, c.owner AS owner, c.members AS members,
       c.created_at AS created_at, c.updated_at AS updated_at, c.created_by AS created_by
