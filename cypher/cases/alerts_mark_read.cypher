// name: alerts_mark_read
// purpose: mark one user's alerts read: the given ones, or all of them (alert_ids null);
//   alerts already read are left as they are.
// params:
//   username (string): whose alerts (a user marks only their own)
//   alert_ids (list): the alerts to mark (null: every unread alert of the user)
// mode: write
// used_by: graphfraud.cases (Session.mark_alerts_read), cli alerts --read, ui alerts
MATCH (a:Alert {username: $username})
WHERE ($alert_ids IS NULL OR a.alert_id IN $alert_ids) AND coalesce(a.read, false) = false
SET a.read = true
RETURN count(a) AS marked
