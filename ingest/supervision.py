"""retail_checks.csv and eps_packs.csv: what inspectors and surveys find in the market."""

from __future__ import annotations

from graphfraud.ingest import fields as f
from graphfraud.ingest.common import address_ops
from graphfraud.ingest.framework import Column, Loader, link, node, props
from graphfraud.ingest.mentions import mention_ops
from graphfraud.model.operations import link_write, node_write
from graphfraud.model.schema import SUPERVISION


class RetailCheckLoader(Loader):
    """One product line of an inspection at a point of sale."""

    file_name = "retail_checks.csv"
    legal_basis = SUPERVISION
    columns = (
        Column("check_id", f.text, required=True),
        Column("checked_on", f.date, required=True),
        Column("outlet_trader_id", f.text),
        Column("outlet_name", f.text),
        Column("outlet_street", f.text),
        Column("outlet_house_number", f.text),
        Column("outlet_postcode", f.postcode_any),
        Column("outlet_city", f.text),
        Column("team", f.text),
        Column("outcome", f.code(f.CHECK_OUTCOMES, lower=True), required=True),
        Column("product", f.code(f.PRODUCTS, lower=True)),
        Column("brand", f.text),
        Column("classification", f.code(f.CHECK_CLASSES, lower=True)),
        Column("stamp_country", f.country),
        Column("quantity", f.non_negative),
        Column("unit", f.text),
        Column("seized", f.boolean),
        Column("stated_supplier", f.text),
        Column("invoice_number", f.text),
        Column("fine_eur", f.non_negative),
    )
    query_order = (
        node_write("RetailCheck"),
        node_write("CheckLine"),
        node_write("Address"),
        node_write("NameMention"),
        link_write("AT_OUTLET", "RetailCheck", "Trader"),
        link_write("HAS_CHECK_LINE", "RetailCheck", "CheckLine"),
        link_write("STATED_SUPPLIER", "CheckLine", "Trader"),
        link_write("NAMED_IN", "NameMention", "CheckLine"),
    )

    def __init__(self) -> None:
        self._lines: dict[str, int] = {}

    def check(self, rec):
        if not rec.get("outlet_trader_id") and not rec.get("outlet_name"):
            return [("outlet_trader_id", "neither outlet_trader_id nor outlet_name given")]
        return []

    def check_refs(self, rec, refs):
        o = rec.get("outlet_trader_id")
        if o and o not in refs.traders:
            return [("outlet_trader_id", f"no trader {o!r} in traders.csv or the graph")]
        return []

    def operations(self, rec, refs):
        cid = rec["check_id"]
        n = self._lines[cid] = self._lines.get(cid, 0) + 1
        line_id = f"{cid}/{n}"
        ops = [node("RetailCheck", cid, props(rec, ("checked_on", "team", "outcome",
                                                     "outlet_name"))),
               node("CheckLine", line_id, {k: v for k, v in rec.items() if k in (
                   "product", "brand", "classification", "stamp_country", "quantity", "unit",
                   "seized", "stated_supplier", "invoice_number", "fine_eur", "checked_on")
                   and v is not None}),
               link("HAS_CHECK_LINE", "RetailCheck", cid, "CheckLine", line_id)]
        if rec.get("outlet_trader_id"):
            ops.append(link("AT_OUTLET", "RetailCheck", cid, "Trader", rec["outlet_trader_id"]))
        supplier = rec.get("stated_supplier")
        if supplier:
            exact = supplier if supplier in refs.traders else refs.trader_by_kvk.get(supplier)
            if exact:
                ops.append(link("STATED_SUPPLIER", "CheckLine", line_id, "Trader", exact,
                                {"method": "exact id or KvK"}))
            else:
                ops += mention_ops(self.file_name, rec["_row"], "CheckLine", line_id,
                                   "stated_supplier", supplier)
        _key, addr = address_ops(rec, prefix="outlet_")
        ops += addr
        return ops


class EpsPackLoader(Loader):
    """One empty pack of an Empty Pack Survey wave."""

    file_name = "eps_packs.csv"
    legal_basis = SUPERVISION
    key_columns = ("pack_id",)
    columns = (
        Column("pack_id", f.text),
        Column("survey_year", f.int_range(2000, 2100), required=True),
        Column("wave", f.text),
        Column("municipality", f.text, required=True),
        Column("border_municipality", f.boolean),
        Column("route_id", f.text),
        Column("collected_on", f.date),
        Column("lat", f.latitude),
        Column("lon", f.longitude),
        Column("brand", f.text),
        Column("stamp_country", f.country),
        Column("warning_language", f.text),
        Column("classification", f.code(f.EPS_CLASSES, lower=True), required=True),
        Column("pack_size", f.int_range(1, 100)),
    )
    query_order = (
        node_write("EpsPack"),
        node_write("Municipality"),
        link_write("COLLECTED_IN", "EpsPack", "Municipality"),
    )

    def row_key(self, rec):
        return (rec.get("pack_id"),) if rec.get("pack_id") else None

    def operations(self, rec, refs):
        pid = rec.get("pack_id") or (f"{rec['survey_year']}:{rec.get('wave') or ''}:"
                                     f"{rec['municipality']}:{rec['_row']}")
        muni = rec["municipality"]
        mprops = {"border_municipality": rec.get("border_municipality")}
        return [node("EpsPack", pid, props(rec, ("survey_year", "wave", "route_id",
                                                 "collected_on", "lat", "lon", "brand",
                                                 "stamp_country", "warning_language",
                                                 "classification", "pack_size"))),
                node("Municipality", muni, mprops),
                link("COLLECTED_IN", "EpsPack", pid, "Municipality", muni)]
