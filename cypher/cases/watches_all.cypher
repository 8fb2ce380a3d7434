// name: watches_all
// purpose: every user's watches (entities by label and key; saved queries as label
//   Query with their definition and last result in `query`, JSON), for raising alerts.
// params: none
// mode: read
// used_by: graphfraud.cases (Session.refresh_alerts, Session.watches)
MATCH (w:Watch)
RETURN w.watch_id AS watch_id, w.username AS username, w.target_label AS target_label,
       w.target_key AS target_key, w.query AS query, w.created_at AS created_at
ORDER BY username, target_label, target_key
