// name: alerts_for_user
// purpose: one user's alerts, newest first, with whether they were read.
// params:
//   username (string): the user
// mode: read
// used_by: graphfraud.cases (Session.alerts), cli alerts, ui alerts
MATCH (a:Alert {username: $username})
RETURN a.alert_id AS alert_id, a.rule AS rule, a.subject AS subject, a.detail AS detail,
       a.run_id AS run_id, a.delivery AS delivery, a.created_at AS created_at,
       a.read AS read
ORDER BY created_at DESC, alert_id
