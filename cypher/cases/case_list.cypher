// name: case_list
// purpose: the cases with their status, owner, members and how many findings and notes
//   each holds, optionally filtered by status and by a user (owner or member).
// params:
//   status (string): only cases with this status (null: every status)
//   user (string): only cases this user owns or is a member of (null: everyone's)
// mode: read
// used_by: graphfraud.cases (Session.cases), cli case list, ui cases
MATCH (c:Case)
WHERE ($status IS NULL OR c.status = $status)
  AND ($user IS NULL OR c.owner = $user OR $user IN c.members)
OPTIONAL MATCH (c)-[:HAS_FINDING]->(f:CaseFinding)
WITH c, count(f) AS findings
OPTIONAL MATCH (c)-[:HAS_NOTE]->(n:Note)
RETURN c.case_id AS case_id, c.reference AS reference, c.title AS title,
       c.status AS status, c.owner AS owner, c.members AS members,
       c.created_at AS created_at, c.updated_at AS updated_at, c.created_by AS created_by,
       findings, count(n) AS notes
ORDER BY created_at, case_id
