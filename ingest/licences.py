"""machine_licences.csv and machine_events.csv: tobacco production apparatus."""

from __future__ import annotations

from graphfraud.ingest import fields as f
from graphfraud.ingest.common import address_ops
from graphfraud.ingest.framework import Column, Loader, link, node, props
from graphfraud.ingest.mentions import mention_ops
from graphfraud.model.operations import link_write, node_write
from graphfraud.model.schema import SUPERVISION


class LicenceLoader(Loader):
    """A licence, its holder (or the holder's name), the machine and the site."""

    file_name = "machine_licences.csv"
    legal_basis = SUPERVISION
    key_columns = ("licence_id",)
    columns = (
        Column("licence_id", f.text, required=True),
        Column("holder_trader_id", f.text),
        Column("holder_name", f.text),
        Column("holder_street", f.text),
        Column("holder_house_number", f.text),
        Column("holder_postcode", f.postcode_any),
        Column("holder_city", f.text),
        Column("holder_country", f.country),
        Column("kind", f.code(f.LICENCE_KINDS, lower=True), required=True),
        Column("machine_id", f.text, required=True),
        Column("machine_type", f.code(f.MACHINE_TYPES, lower=True)),
        Column("manufacturer", f.text),
        Column("model", f.text),
        Column("capacity_per_minute", f.non_negative),
        Column("site_premise_id", f.text),
        Column("site_street", f.text),
        Column("site_house_number", f.text),
        Column("site_postcode", f.postcode_any),
        Column("site_city", f.text),
        Column("site_country", f.country),
        Column("recipient_trader_id", f.text),
        Column("applied_on", f.date),
        Column("granted_on", f.date),
        Column("valid_until", f.date),
        Column("status", f.code(f.LICENCE_STATUSES, lower=True), required=True),
    )
    query_order = (
        node_write("Licence"),
        node_write("Machine"),
        node_write("Address"),
        node_write("NameMention"),
        link_write("HELD_BY", "Licence", "Trader"),
        link_write("COVERS", "Licence", "Machine"),
        link_write("FOR_SITE", "Licence", "Premise"),
        link_write("FOR_SITE", "Licence", "Address"),
        link_write("RECIPIENT", "Licence", "Trader"),
        link_write("NAMED_IN", "NameMention", "Licence"),
    )

    def check(self, rec):
        errs = []
        if not rec.get("holder_trader_id") and not rec.get("holder_name"):
            errs.append(("holder_trader_id", "neither holder_trader_id nor holder_name given"))
        if rec.get("granted_on") and rec.get("valid_until") and rec["valid_until"] < rec["granted_on"]:
            errs.append(("valid_until", "valid until a date before it was granted"))
        return errs

    def check_refs(self, rec, refs):
        errs = []
        for col in ("holder_trader_id", "recipient_trader_id"):
            if rec.get(col) and rec[col] not in refs.traders:
                errs.append((col, f"no trader {rec[col]!r} in traders.csv or the graph"))
        if rec.get("site_premise_id") and rec["site_premise_id"] not in refs.premises:
            errs.append(("site_premise_id", f"no premise {rec['site_premise_id']!r}"))
        return errs

    def register(self, rec, refs):
        refs.machines.add(rec["machine_id"])
        refs.licences.add(rec["licence_id"])

    def operations(self, rec, refs):
        lid, mid = rec["licence_id"], rec["machine_id"]
        ops = [node("Licence", lid, props(rec, ("kind", "status", "applied_on", "granted_on",
                                                 "valid_until", "holder_name"))),
               node("Machine", mid, props(rec, ("machine_type", "manufacturer", "model",
                                                 "capacity_per_minute"))),
               link("COVERS", "Licence", lid, "Machine", mid)]
        if rec.get("holder_trader_id"):
            ops.append(link("HELD_BY", "Licence", lid, "Trader", rec["holder_trader_id"]))
        else:
            ops += mention_ops(self.file_name, rec["_row"], "Licence", lid, "holder_name",
                               rec["holder_name"], {"postcode": rec.get("holder_postcode"),
                                                    "house_number": rec.get("holder_house_number"),
                                                    "city": rec.get("holder_city"),
                                                    "street": rec.get("holder_street"),
                                                    "country": rec.get("holder_country")})
        if rec.get("site_premise_id"):
            ops.append(link("FOR_SITE", "Licence", lid, "Premise", rec["site_premise_id"]))
        else:
            key, addr = address_ops(rec, prefix="site_")
            ops += addr
            if key:
                ops.append(link("FOR_SITE", "Licence", lid, "Address", key))
        if rec.get("recipient_trader_id"):
            ops.append(link("RECIPIENT", "Licence", lid, "Trader", rec["recipient_trader_id"]))
        return ops


class MachineEventLoader(Loader):
    """Moves, sales, inspections, seizures and reports of a missing machine."""

    file_name = "machine_events.csv"
    legal_basis = SUPERVISION
    key_columns = ("event_id",)
    columns = (
        Column("event_id", f.text, required=True),
        Column("machine_id", f.text, required=True),
        Column("event", f.code(f.MACHINE_EVENTS, lower=True), required=True),
        Column("at", f.date_or_datetime, required=True),
        Column("from_premise_id", f.text),
        Column("to_premise_id", f.text),
        Column("to_street", f.text),
        Column("to_house_number", f.text),
        Column("to_postcode", f.postcode_any),
        Column("to_city", f.text),
        Column("to_country", f.country),
        Column("counterparty_trader_id", f.text),
    )
    query_order = (
        node_write("MachineEvent"),
        node_write("Address"),
        link_write("HAD_EVENT", "Machine", "MachineEvent"),
        link_write("MOVED_FROM", "MachineEvent", "Premise"),
        link_write("MOVED_TO", "MachineEvent", "Premise"),
        link_write("MOVED_TO", "MachineEvent", "Address"),
    )

    def check_refs(self, rec, refs):
        errs = []
        if rec["machine_id"] not in refs.machines:
            errs.append(("machine_id", f"no machine {rec['machine_id']!r} in "
                                       "machine_licences.csv or the graph"))
        for col in ("from_premise_id", "to_premise_id"):
            if rec.get(col) and rec[col] not in refs.premises:
                errs.append((col, f"no premise {rec[col]!r}"))
        cp = rec.get("counterparty_trader_id")
        if cp and cp not in refs.traders:
            errs.append(("counterparty_trader_id", f"no trader {cp!r}"))
        return errs

    def operations(self, rec, refs):
        eid = rec["event_id"]
        ops = [node("MachineEvent", eid, props(rec, ("event", "at", "counterparty_trader_id"))),
               link("HAD_EVENT", "Machine", rec["machine_id"], "MachineEvent", eid)]
        if rec.get("from_premise_id"):
            ops.append(link("MOVED_FROM", "MachineEvent", eid, "Premise", rec["from_premise_id"]))
        if rec.get("to_premise_id"):
            ops.append(link("MOVED_TO", "MachineEvent", eid, "Premise", rec["to_premise_id"]))
        else:
            key, addr = address_ops(rec, prefix="to_")
            ops += addr
            if key:
                ops.append(link("MOVED_TO", "MachineEvent", eid, "Address", key))
        return ops
