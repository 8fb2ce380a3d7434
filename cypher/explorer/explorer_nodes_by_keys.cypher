// name: explorer_nodes_by_keys
// purpose: nodes by their model key, several labels at once (one index seek per label):
//   the explorer's start node, a finding's subjects. One branch per label of
//   graphfraud/model/schema.py; a test checks none is missing.
// params:
//   keys (map): label -> list of key values, e.g. {Trader: ['KVK:12345678']}
// mode: read
// used_by: ui explorer, ui findings (subgraph), graphfraud.explore
MATCH (n:Trader) WHERE n.trader_id IN coalesce($keys.Trader, []) RETURN n
UNION ALL
MATCH (n:Person) WHERE n.person_id IN coalesce($keys.Person, []) RETURN n
UNION ALL
MATCH (n:Address) WHERE n.address_key IN coalesce($keys.Address, []) RETURN n
UNION ALL
MATCH (n:Premise) WHERE n.premise_id IN coalesce($keys.Premise, []) RETURN n
UNION ALL
MATCH (n:Movement) WHERE n.arc IN coalesce($keys.Movement, []) RETURN n
UNION ALL
MATCH (n:MovementLine) WHERE n.line_id IN coalesce($keys.MovementLine, []) RETURN n
UNION ALL
MATCH (n:Vehicle) WHERE n.plate IN coalesce($keys.Vehicle, []) RETURN n
UNION ALL
MATCH (n:Phone) WHERE n.e164 IN coalesce($keys.Phone, []) RETURN n
UNION ALL
MATCH (n:Email) WHERE n.email IN coalesce($keys.Email, []) RETURN n
UNION ALL
MATCH (n:Machine) WHERE n.machine_id IN coalesce($keys.Machine, []) RETURN n
UNION ALL
MATCH (n:Licence) WHERE n.licence_id IN coalesce($keys.Licence, []) RETURN n
UNION ALL
MATCH (n:MachineEvent) WHERE n.event_id IN coalesce($keys.MachineEvent, []) RETURN n
UNION ALL
MATCH (n:RetailCheck) WHERE n.check_id IN coalesce($keys.RetailCheck, []) RETURN n
UNION ALL
MATCH (n:CheckLine) WHERE n.line_id IN coalesce($keys.CheckLine, []) RETURN n
UNION ALL
MATCH (n:EpsPack) WHERE n.pack_id IN coalesce($keys.EpsPack, []) RETURN n
UNION ALL
MATCH (n:Municipality) WHERE n.name IN coalesce($keys.Municipality, []) RETURN n
UNION ALL
MATCH (n:Tip) WHERE n.tip_id IN coalesce($keys.Tip, []) RETURN n
UNION ALL
MATCH (n:Seizure) WHERE n.seizure_id IN coalesce($keys.Seizure, []) RETURN n
UNION ALL
MATCH (n:NameMention) WHERE n.mention_id IN coalesce($keys.NameMention, []) RETURN n
UNION ALL
MATCH (n:Delivery) WHERE n.delivery_id IN coalesce($keys.Delivery, []) RETURN n
UNION ALL
MATCH (n:Finding) WHERE n.finding_id IN coalesce($keys.Finding, []) RETURN n
