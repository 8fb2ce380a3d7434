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

CREATE CONSTRAINT trader_trader_id_key IF NOT EXISTS FOR (n:Trader) REQUIRE n.trader_id IS UNIQUE;
CREATE INDEX trader_kvk_number_idx IF NOT EXISTS FOR (n:Trader) ON (n.kvk_number);
CREATE INDEX trader_excise_number_idx IF NOT EXISTS FOR (n:Trader) ON (n.excise_number);
CREATE INDEX trader_name_norm_idx IF NOT EXISTS FOR (n:Trader) ON (n.name_norm);
CREATE CONSTRAINT person_person_id_key IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE INDEX person_full_name_idx IF NOT EXISTS FOR (n:Person) ON (n.full_name);
CREATE CONSTRAINT address_address_key_key IF NOT EXISTS FOR (n:Address) REQUIRE n.address_key IS UNIQUE;
CREATE INDEX address_postcode_idx IF NOT EXISTS FOR (n:Address) ON (n.postcode);
CREATE INDEX address_city_idx IF NOT EXISTS FOR (n:Address) ON (n.city);
CREATE CONSTRAINT premise_premise_id_key IF NOT EXISTS FOR (n:Premise) REQUIRE n.premise_id IS UNIQUE;
CREATE INDEX premise_excise_number_idx IF NOT EXISTS FOR (n:Premise) ON (n.excise_number);
CREATE INDEX premise_kind_idx IF NOT EXISTS FOR (n:Premise) ON (n.kind);
CREATE CONSTRAINT movement_arc_key IF NOT EXISTS FOR (n:Movement) REQUIRE n.arc IS UNIQUE;
CREATE INDEX movement_dispatched_at_idx IF NOT EXISTS FOR (n:Movement) ON (n.dispatched_at);
CREATE INDEX movement_status_idx IF NOT EXISTS FOR (n:Movement) ON (n.status);
CREATE CONSTRAINT movementline_line_id_key IF NOT EXISTS FOR (n:MovementLine) REQUIRE n.line_id IS UNIQUE;
CREATE INDEX movementline_epc_idx IF NOT EXISTS FOR (n:MovementLine) ON (n.epc);
CREATE CONSTRAINT movementevent_event_id_key IF NOT EXISTS FOR (n:MovementEvent) REQUIRE n.event_id IS UNIQUE;
CREATE INDEX movementevent_arc_idx IF NOT EXISTS FOR (n:MovementEvent) ON (n.arc);
CREATE INDEX movementevent_kind_idx IF NOT EXISTS FOR (n:MovementEvent) ON (n.kind);
CREATE INDEX movementevent_state_idx IF NOT EXISTS FOR (n:MovementEvent) ON (n.state);
CREATE CONSTRAINT vehicle_plate_key IF NOT EXISTS FOR (n:Vehicle) REQUIRE n.plate IS UNIQUE;
CREATE CONSTRAINT phone_e164_key IF NOT EXISTS FOR (n:Phone) REQUIRE n.e164 IS UNIQUE;
CREATE CONSTRAINT email_email_key IF NOT EXISTS FOR (n:Email) REQUIRE n.email IS UNIQUE;
CREATE CONSTRAINT machine_machine_id_key IF NOT EXISTS FOR (n:Machine) REQUIRE n.machine_id IS UNIQUE;
CREATE CONSTRAINT licence_licence_id_key IF NOT EXISTS FOR (n:Licence) REQUIRE n.licence_id IS UNIQUE;
CREATE INDEX licence_status_idx IF NOT EXISTS FOR (n:Licence) ON (n.status);
CREATE CONSTRAINT machineevent_event_id_key IF NOT EXISTS FOR (n:MachineEvent) REQUIRE n.event_id IS UNIQUE;
CREATE CONSTRAINT retailcheck_check_id_key IF NOT EXISTS FOR (n:RetailCheck) REQUIRE n.check_id IS UNIQUE;
CREATE INDEX retailcheck_checked_on_idx IF NOT EXISTS FOR (n:RetailCheck) ON (n.checked_on);
CREATE INDEX retailcheck_outcome_idx IF NOT EXISTS FOR (n:RetailCheck) ON (n.outcome);
CREATE CONSTRAINT checkline_line_id_key IF NOT EXISTS FOR (n:CheckLine) REQUIRE n.line_id IS UNIQUE;
CREATE INDEX checkline_classification_idx IF NOT EXISTS FOR (n:CheckLine) ON (n.classification);
CREATE CONSTRAINT epspack_pack_id_key IF NOT EXISTS FOR (n:EpsPack) REQUIRE n.pack_id IS UNIQUE;
CREATE INDEX epspack_survey_year_idx IF NOT EXISTS FOR (n:EpsPack) ON (n.survey_year);
CREATE INDEX epspack_classification_idx IF NOT EXISTS FOR (n:EpsPack) ON (n.classification);
CREATE CONSTRAINT municipality_name_key IF NOT EXISTS FOR (n:Municipality) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT tip_tip_id_key IF NOT EXISTS FOR (n:Tip) REQUIRE n.tip_id IS UNIQUE;
CREATE INDEX tip_received_on_idx IF NOT EXISTS FOR (n:Tip) ON (n.received_on);
CREATE CONSTRAINT seizure_seizure_id_key IF NOT EXISTS FOR (n:Seizure) REQUIRE n.seizure_id IS UNIQUE;
CREATE INDEX seizure_seized_on_idx IF NOT EXISTS FOR (n:Seizure) ON (n.seized_on);
CREATE INDEX seizure_product_idx IF NOT EXISTS FOR (n:Seizure) ON (n.product);
CREATE CONSTRAINT namemention_mention_id_key IF NOT EXISTS FOR (n:NameMention) REQUIRE n.mention_id IS UNIQUE;
CREATE CONSTRAINT delivery_delivery_id_key IF NOT EXISTS FOR (n:Delivery) REQUIRE n.delivery_id IS UNIQUE;
CREATE CONSTRAINT finding_finding_id_key IF NOT EXISTS FOR (n:Finding) REQUIRE n.finding_id IS UNIQUE;
CREATE INDEX finding_kind_idx IF NOT EXISTS FOR (n:Finding) ON (n.kind);
CREATE CONSTRAINT case_case_id_key IF NOT EXISTS FOR (n:Case) REQUIRE n.case_id IS UNIQUE;
CREATE INDEX case_reference_idx IF NOT EXISTS FOR (n:Case) ON (n.reference);
CREATE INDEX case_status_idx IF NOT EXISTS FOR (n:Case) ON (n.status);
CREATE CONSTRAINT note_note_id_key IF NOT EXISTS FOR (n:Note) REQUIRE n.note_id IS UNIQUE;
CREATE CONSTRAINT savedview_view_id_key IF NOT EXISTS FOR (n:SavedView) REQUIRE n.view_id IS UNIQUE;
CREATE CONSTRAINT casefinding_case_finding_id_key IF NOT EXISTS FOR (n:CaseFinding) REQUIRE n.case_finding_id IS UNIQUE;
CREATE CONSTRAINT watch_watch_id_key IF NOT EXISTS FOR (n:Watch) REQUIRE n.watch_id IS UNIQUE;
CREATE CONSTRAINT alert_alert_id_key IF NOT EXISTS FOR (n:Alert) REQUIRE n.alert_id IS UNIQUE;
