// name: case_entities
// purpose: the entities a case is about, by label and model key.
// params:
//   case_id (string): the case
// mode: read
// used_by: graphfraud.cases (Session.case), case report, alerts
MATCH (:Case {case_id: $case_id})-[:ABOUT]->(e)
RETURN labels(e)[0] AS label,
       coalesce(e.trader_id, e.person_id, e.premise_id, e.address_key, e.arc,
                e.machine_id) AS key
ORDER BY label, key
