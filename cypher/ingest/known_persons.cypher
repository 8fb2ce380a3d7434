// name: known_persons
// purpose: ids of the persons already in the graph (reference checks of later deliveries).
// params: none
// mode: read
// used_by: ingest.run (reference index)
MATCH (p:Person)
RETURN p.person_id AS person_id
