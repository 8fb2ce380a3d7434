// name: explorer_nodes_by_keys
// purpose: nodes by their model key, several labels at once (one index seek per key):
//   the explorer's start node, a finding's subjects. One branch per label of
//   graphfraud/model/schema.py; a test checks none is missing. Each branch unwinds its
//   keys and matches on the key property: the embedded engine seeks its index for that
//   form, where `n.key IN coalesce($keys.Label, [])` scanned every label (large world:
//   1.0 s p50; unwound, a seek).
// params:
//   keys (map): label -> list of key values, e.g. {Trader: ['KVK:12345678']}
// mode: read
// used_by: ui explorer, ui findings (subgraph), graphfraud.explore
UNWIND coalesce($keys.Trader, []) AS k WITH DISTINCT k
MATCH (n:Trader {trader_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Person, []) AS k WITH DISTINCT k
MATCH (n:Person {person_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Address, []) AS k WITH DISTINCT k
MATCH (n:Address {address_key: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Premise, []) AS k WITH DISTINCT k
MATCH (n:Premise {premise_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Movement, []) AS k WITH DISTINCT k
MATCH (n:Movement {arc: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.MovementLine, []) AS k WITH DISTINCT k
MATCH (n:MovementLine {line_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.MovementEvent, []) AS k WITH DISTINCT k
MATCH (n:MovementEvent {event_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Vehicle, []) AS k WITH DISTINCT k
MATCH (n:Vehicle {plate: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Phone, []) AS k WITH DISTINCT k
MATCH (n:Phone {e164: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Email, []) AS k WITH DISTINCT k
MATCH (n:Email {email: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Machine, []) AS k WITH DISTINCT k
MATCH (n:Machine {machine_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Licence, []) AS k WITH DISTINCT k
MATCH (n:Licence {licence_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.MachineEvent, []) AS k WITH DISTINCT k
MATCH (n:MachineEvent {event_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.RetailCheck, []) AS k WITH DISTINCT k
MATCH (n:RetailCheck {check_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.CheckLine, []) AS k WITH DISTINCT k
MATCH (n:CheckLine {line_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.EpsPack, []) AS k WITH DISTINCT k
MATCH (n:EpsPack {pack_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Municipality, []) AS k WITH DISTINCT k
MATCH (n:Municipality {name: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Tip, []) AS k WITH DISTINCT k
MATCH (n:Tip {tip_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Seizure, []) AS k WITH DISTINCT k
MATCH (n:Seizure {seizure_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.NameMention, []) AS k WITH DISTINCT k
MATCH (n:NameMention {mention_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Delivery, []) AS k WITH DISTINCT k
MATCH (n:Delivery {delivery_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Finding, []) AS k WITH DISTINCT k
MATCH (n:Finding {finding_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Case, []) AS k WITH DISTINCT k
MATCH (n:Case {case_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Note, []) AS k WITH DISTINCT k
MATCH (n:Note {note_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.SavedView, []) AS k WITH DISTINCT k
MATCH (n:SavedView {view_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.CaseFinding, []) AS k WITH DISTINCT k
MATCH (n:CaseFinding {case_finding_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Watch, []) AS k WITH DISTINCT k
MATCH (n:Watch {watch_id: k}) RETURN n
UNION ALL
UNWIND coalesce($keys.Alert, []) AS k WITH DISTINCT k
MATCH (n:Alert {alert_id: k}) RETURN n
