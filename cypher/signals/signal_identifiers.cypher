// name: signal_identifiers
// purpose: phones and e-mails of traders and persons, to find identifiers shared between
//   companies and people.
// params: none
// mode: read
// used_by: graphfraud.detect (supplier networks, factory sites: tips naming a phone)
MATCH (x)-[:HAS_PHONE|HAS_EMAIL]->(i)
WHERE x:Trader OR x:Person
RETURN CASE WHEN x:Trader THEN 'trader' ELSE 'person' END AS owner_kind,
       coalesce(x.trader_id, x.person_id) AS owner,
       CASE WHEN i:Phone THEN 'phone' ELSE 'email' END AS kind,
       coalesce(i.e164, i.email) AS value
ORDER BY owner_kind, owner, kind, value
