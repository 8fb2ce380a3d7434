// name: watch_touches
// purpose: what a delivery brought first around watched entities: neighbours and links
//   whose first delivery is $delivery (one hop: a movement, check, seizure, licence, a new
//   link), and tips or seizures one step further (a tip naming the trader's address or
//   phone). One pair of branches per watchable label.
// params:
//   keys (map): label -> watched key values, e.g. {Trader: ['KVK:12345678']}
//   delivery (string): the delivery id
// mode: read
// used_by: graphfraud.cases.alerts (Session.refresh_alerts)
UNWIND coalesce($keys.Trader, []) AS k WITH DISTINCT k
MATCH (e:Trader {trader_id: k})-[r]-(x)
WHERE r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery
RETURN 'Trader' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Trader, []) AS k WITH DISTINCT k
MATCH (e:Trader {trader_id: k})--(m)-[r:MENTIONS|INVOLVES|SEIZED_AT]-(x)
WHERE (x:Tip OR x:Seizure) AND (r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery)
RETURN 'Trader' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Person, []) AS k WITH DISTINCT k
MATCH (e:Person {person_id: k})-[r]-(x)
WHERE r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery
RETURN 'Person' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Person, []) AS k WITH DISTINCT k
MATCH (e:Person {person_id: k})--(m)-[r:MENTIONS|INVOLVES|SEIZED_AT]-(x)
WHERE (x:Tip OR x:Seizure) AND (r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery)
RETURN 'Person' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Address, []) AS k WITH DISTINCT k
MATCH (e:Address {address_key: k})-[r]-(x)
WHERE r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery
RETURN 'Address' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Address, []) AS k WITH DISTINCT k
MATCH (e:Address {address_key: k})--(m)-[r:MENTIONS|INVOLVES|SEIZED_AT]-(x)
WHERE (x:Tip OR x:Seizure) AND (r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery)
RETURN 'Address' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Vehicle, []) AS k WITH DISTINCT k
MATCH (e:Vehicle {plate: k})-[r]-(x)
WHERE r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery
RETURN 'Vehicle' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Vehicle, []) AS k WITH DISTINCT k
MATCH (e:Vehicle {plate: k})--(m)-[r:MENTIONS|INVOLVES|SEIZED_AT]-(x)
WHERE (x:Tip OR x:Seizure) AND (r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery)
RETURN 'Vehicle' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Phone, []) AS k WITH DISTINCT k
MATCH (e:Phone {e164: k})-[r]-(x)
WHERE r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery
RETURN 'Phone' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Phone, []) AS k WITH DISTINCT k
MATCH (e:Phone {e164: k})--(m)-[r:MENTIONS|INVOLVES|SEIZED_AT]-(x)
WHERE (x:Tip OR x:Seizure) AND (r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery)
RETURN 'Phone' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Email, []) AS k WITH DISTINCT k
MATCH (e:Email {email: k})-[r]-(x)
WHERE r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery
RETURN 'Email' AS label, k AS key, type(r) AS rel, x AS other
UNION ALL
UNWIND coalesce($keys.Email, []) AS k WITH DISTINCT k
MATCH (e:Email {email: k})--(m)-[r:MENTIONS|INVOLVES|SEIZED_AT]-(x)
WHERE (x:Tip OR x:Seizure) AND (r.deliveries[0] = $delivery OR x.deliveries[0] = $delivery)
RETURN 'Email' AS label, k AS key, type(r) AS rel, x AS other
