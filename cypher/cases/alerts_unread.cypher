// name: alerts_unread
// purpose: how many of one user's alerts are unread (the count on the alerts page, in
//   the navigation and in `graphfraud alerts`).
// params:
//   username (string): the user
// mode: read
// used_by: graphfraud.cases (Session.unread_alerts), ui app navigation, ui alerts
MATCH (a:Alert {username: $username})
WHERE coalesce(a.read, false) = false
RETURN count(a) AS unread
