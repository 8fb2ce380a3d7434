// name: case_views
// purpose: the explorer views saved with a case (nodes with positions, filters; JSON).
// params:
//   case_id (string): the case
// mode: read
// used_by: graphfraud.cases (Session.case, Session.restore_view), case report
MATCH (:Case {case_id: $case_id})-[:HAS_VIEW]->(v:SavedView)
RETURN v.view_id AS view_id, v.name AS name, v.nodes AS nodes, v.filters AS filters,
       v.author AS author, v.created_at AS created_at
ORDER BY created_at, view_id
