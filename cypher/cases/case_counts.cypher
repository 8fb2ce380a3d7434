// name: case_counts
// purpose: how many cases there are per status: all a role without case access sees.
// params: none
// mode: read
// used_by: graphfraud.cases (Session.case_counts), cli case list, ui cases
MATCH (c:Case)
RETURN c.status AS status, count(*) AS cases
ORDER BY status
