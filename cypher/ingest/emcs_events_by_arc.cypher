// name: emcs_events_by_arc
// purpose: the EMCS messages kept in the graph for some ARCs (applied and pending), so a
//   delivery's follow-ups fold with the e-AD an earlier delivery brought, and a pending
//   follow-up with the e-AD that arrives now. One index seek per ARC.
// params:
//   arcs (list): ARCs of this delivery's messages
// mode: read
// used_by: ingest.emcs (follow-ups across deliveries)
UNWIND $arcs AS arc
MATCH (e:MovementEvent {arc: arc})
RETURN e.event_id AS event_id, e.payload AS payload
