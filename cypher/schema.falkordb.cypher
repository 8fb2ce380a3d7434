// name: schema
// purpose: constraints and indexes of the GraphFraud model; applying it twice changes
//   nothing.
// pair: Neo4j 5 keys are named unique constraints (`IF NOT EXISTS`); FalkorDB gets plain
//   indexes, no unique constraints (their replay from the append-only file stops the
//   server; keys stay unique by MERGE).
// params: none
// mode: schema
// used_by: graphfraud.store (both backends), `graphfraud schema`
// GENERATED from graphfraud/model/schema.py by `graphfraud schema --write`: do not edit.

CREATE INDEX FOR (n:Trader) ON (n.trader_id);
CREATE INDEX FOR (n:Trader) ON (n.kvk_number);
CREATE INDEX FOR (n:Trader) ON (n.excise_number);
CREATE INDEX FOR (n:Trader) ON (n.name_norm);
CREATE INDEX FOR (n:Person) ON (n.person_id);
CREATE INDEX FOR (n:Person) ON (n.full_name);
CREATE INDEX FOR (n:Address) ON (n.address_key);
CREATE INDEX FOR (n:Address) ON (n.postcode);
CREATE INDEX FOR (n:Address) ON (n.city);
CREATE INDEX FOR (n:Premise) ON (n.premise_id);
CREATE INDEX FOR (n:Premise) ON (n.excise_number);
CREATE INDEX FOR (n:Premise) ON (n.kind);
CREATE INDEX FOR (n:Movement) ON (n.arc);
CREATE INDEX FOR (n:Movement) ON (n.dispatched_at);
CREATE INDEX FOR (n:Movement) ON (n.status);
CREATE INDEX FOR (n:MovementLine) ON (n.line_id);
CREATE INDEX FOR (n:MovementLine) ON (n.epc);
CREATE INDEX FOR (n:MovementEvent) ON (n.event_id);
CREATE INDEX FOR (n:MovementEvent) ON (n.arc);
CREATE INDEX FOR (n:MovementEvent) ON (n.kind);
CREATE INDEX FOR (n:MovementEvent) ON (n.state);
CREATE INDEX FOR (n:Vehicle) ON (n.plate);
CREATE INDEX FOR (n:Phone) ON (n.e164);
CREATE INDEX FOR (n:Email) ON (n.email);
CREATE INDEX FOR (n:Machine) ON (n.machine_id);
CREATE INDEX FOR (n:Licence) ON (n.licence_id);
CREATE INDEX FOR (n:Licence) ON (n.status);
CREATE INDEX FOR (n:MachineEvent) ON (n.event_id);
CREATE INDEX FOR (n:RetailCheck) ON (n.check_id);
CREATE INDEX FOR (n:RetailCheck) ON (n.checked_on);
CREATE INDEX FOR (n:RetailCheck) ON (n.outcome);
CREATE INDEX FOR (n:CheckLine) ON (n.line_id);
CREATE INDEX FOR (n:CheckLine) ON (n.classification);
CREATE INDEX FOR (n:EpsPack) ON (n.pack_id);
CREATE INDEX FOR (n:EpsPack) ON (n.survey_year);
CREATE INDEX FOR (n:EpsPack) ON (n.classification);
CREATE INDEX FOR (n:Municipality) ON (n.name);
CREATE INDEX FOR (n:Tip) ON (n.tip_id);
CREATE INDEX FOR (n:Tip) ON (n.received_on);
CREATE INDEX FOR (n:Seizure) ON (n.seizure_id);
CREATE INDEX FOR (n:Seizure) ON (n.seized_on);
CREATE INDEX FOR (n:Seizure) ON (n.product);
CREATE INDEX FOR (n:NameMention) ON (n.mention_id);
CREATE INDEX FOR (n:Delivery) ON (n.delivery_id);
CREATE INDEX FOR (n:Finding) ON (n.finding_id);
CREATE INDEX FOR (n:Finding) ON (n.kind);
CREATE INDEX FOR (n:Case) ON (n.case_id);
CREATE INDEX FOR (n:Case) ON (n.reference);
CREATE INDEX FOR (n:Case) ON (n.status);
CREATE INDEX FOR (n:Note) ON (n.note_id);
CREATE INDEX FOR (n:SavedView) ON (n.view_id);
CREATE INDEX FOR (n:CaseFinding) ON (n.case_finding_id);
CREATE INDEX FOR (n:Watch) ON (n.watch_id);
CREATE INDEX FOR (n:Alert) ON (n.alert_id);
// no unique constraints: their replay from the append-only file stops the server; keys stay unique by MERGE
