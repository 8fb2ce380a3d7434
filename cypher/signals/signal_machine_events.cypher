// name: signal_machine_events
// purpose: what happened to machines: moved (from, to), reported missing, seized.
// params: none
// mode: read
// used_by: graphfraud.detect.factory_sites (a licensed machine missing or moved)
MATCH (m:Machine)-[:HAD_EVENT]->(e:MachineEvent)
OPTIONAL MATCH (e)-[:MOVED_FROM]->(f:Premise)
OPTIONAL MATCH (e)-[:MOVED_TO]->(tp:Premise)
OPTIONAL MATCH (e)-[:MOVED_TO]->(ta:Address)
OPTIONAL MATCH (tp)-[:LOCATED_AT]->(tpa:Address)
RETURN e.event_id AS event_id, m.machine_id AS machine_id, e.event AS event, e.at AS at,
       f.premise_id AS from_premise, tp.premise_id AS to_premise,
       coalesce(ta.address_key, tpa.address_key) AS to_address
ORDER BY event_id
