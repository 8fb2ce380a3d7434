// name: watch_remove
// purpose: end one of a user's watches (an entity or a saved query); its alerts stay.
// params:
//   username (string): whose watch (a user ends only their own)
//   watch_id (string): the watch
// mode: write
// used_by: graphfraud.cases (Session.unwatch), cli alerts --unwatch, ui alerts
MATCH (w:Watch {watch_id: $watch_id, username: $username})
WITH w, w.watch_id AS removed
DETACH DELETE w
RETURN count(removed) AS removed
