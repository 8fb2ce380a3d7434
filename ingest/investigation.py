"""tips.csv and seizures.csv: investigation data under the Police Data Act (Wpg)."""

from __future__ import annotations

from graphfraud.ingest import fields as f
from graphfraud.ingest.common import address_columns, address_ops
from graphfraud.ingest.framework import Column, Loader, link, node, props
from graphfraud.ingest.mentions import mention_ops
from graphfraud.model.operations import link_write, node_write
from graphfraud.model.schema import INVESTIGATION


class TipLoader(Loader):
    """An anonymous tip and the addresses, plates, phones and names it mentions."""

    file_name = "tips.csv"
    legal_basis = INVESTIGATION
    key_columns = ("tip_id",)
    columns = (
        Column("tip_id", f.text, required=True),
        Column("received_on", f.date, required=True),
        Column("channel", f.code(f.TIP_CHANNELS, lower=True)),
        Column("text", f.text),
        Column("mentioned_name", f.text),
        Column("mentioned_street", f.text),
        Column("mentioned_house_number", f.text),
        Column("mentioned_postcode", f.postcode_any),
        Column("mentioned_city", f.text),
        Column("mentioned_plate", f.multi(f.plate)),
        Column("mentioned_phone", f.multi(f.phone)),
    )
    query_order = (
        node_write("Tip"),
        node_write("Address"),
        node_write("Vehicle"),
        node_write("Phone"),
        node_write("NameMention"),
        link_write("MENTIONS", "Tip", "Address"),
        link_write("MENTIONS", "Tip", "Vehicle"),
        link_write("MENTIONS", "Tip", "Phone"),
        link_write("MENTIONS", "Tip", "NameMention"),
        link_write("NAMED_IN", "NameMention", "Tip"),
    )

    def operations(self, rec, refs):
        tid = rec["tip_id"]
        key, addr = address_ops(rec, prefix="mentioned_")
        # without a postcode the address is kept on the tip, for entity resolution to
        # match by street, number and place (ingest.resolution)
        stated = () if key else ("mentioned_street", "mentioned_house_number", "mentioned_city")
        ops = [node("Tip", tid, props(rec, ("received_on", "channel", "text",
                                             "mentioned_name", *stated)))]
        ops += addr
        if key:
            ops.append(link("MENTIONS", "Tip", tid, "Address", key))
        for plate in rec["mentioned_plate"]:
            ops += [node("Vehicle", plate), link("MENTIONS", "Tip", tid, "Vehicle", plate)]
        for phone in rec["mentioned_phone"]:
            ops += [node("Phone", phone), link("MENTIONS", "Tip", tid, "Phone", phone)]
        if rec.get("mentioned_name"):
            m = mention_ops(self.file_name, rec["_row"], "Tip", tid, "mentioned_name",
                            rec["mentioned_name"], {"postcode": rec.get("mentioned_postcode"),
                                                    "house_number": rec.get("mentioned_house_number"),
                                                    "city": rec.get("mentioned_city"),
                                                    "street": rec.get("mentioned_street")})
            ops += m
            ops.append(link("MENTIONS", "Tip", tid, "NameMention", m[0][1]["key"]))
        return ops


class SeizureLoader(Loader):
    """A seizure or find: where, what (also precursors), and who or what was involved."""

    file_name = "seizures.csv"
    legal_basis = INVESTIGATION
    key_columns = ("seizure_id",)
    columns = (
        Column("seizure_id", f.text, required=True),
        Column("seized_on", f.date, required=True),
        Column("context", f.code(f.SEIZURE_CONTEXTS, lower=True)),
        *address_columns(coordinates=True),
        Column("product", f.code(f.SEIZURE_PRODUCTS, lower=True)),
        Column("brand", f.text),
        Column("classification", f.code(f.CHECK_CLASSES, lower=True)),
        Column("quantity", f.non_negative),
        Column("unit", f.text),
        Column("trader_id", f.text),
        Column("person_id", f.text),
        Column("vehicle_plate", f.multi(f.plate)),
        Column("case_ref", f.text),
    )
    query_order = (
        node_write("Seizure"),
        node_write("Address"),
        node_write("Vehicle"),
        link_write("SEIZED_AT", "Seizure", "Address"),
        link_write("INVOLVES", "Seizure", "Trader"),
        link_write("INVOLVES", "Seizure", "Person"),
        link_write("INVOLVES", "Seizure", "Vehicle"),
    )

    def check_refs(self, rec, refs):
        errs = []
        if rec.get("trader_id") and rec["trader_id"] not in refs.traders:
            errs.append(("trader_id", f"no trader {rec['trader_id']!r} in traders.csv or the graph"))
        if rec.get("person_id") and rec["person_id"] not in refs.persons:
            errs.append(("person_id", f"no person {rec['person_id']!r} in persons.csv or the graph"))
        return errs

    def operations(self, rec, refs):
        sid = rec["seizure_id"]
        ops = [node("Seizure", sid, props(rec, ("seized_on", "context", "product", "brand",
                                                 "classification", "quantity", "unit",
                                                 "case_ref", "lat", "lon")))]
        key, addr = address_ops(rec)
        ops += addr
        if key:
            ops.append(link("SEIZED_AT", "Seizure", sid, "Address", key))
        if rec.get("trader_id"):
            ops.append(link("INVOLVES", "Seizure", sid, "Trader", rec["trader_id"]))
        if rec.get("person_id"):
            ops.append(link("INVOLVES", "Seizure", sid, "Person", rec["person_id"]))
        for plate in rec["vehicle_plate"]:
            ops += [node("Vehicle", plate), link("INVOLVES", "Seizure", sid, "Vehicle", plate)]
        return ops
