"""Loaders for the trade and excise registers: traders, persons, roles, premises."""

from __future__ import annotations

from typing import Any

from graphfraud.ingest import fields as f
from graphfraud.ingest.common import address_columns, address_ops, contact_ops
from graphfraud.ingest.framework import Column, Loader, Op, RefIndex, link, node, props
from graphfraud.model.operations import link_write, node_write
from graphfraud.model.schema import REGISTER, SUPERVISION
from graphfraud.resolve import normalize as norm


class TraderLoader(Loader):
    """traders.csv: legal entities, their registered address, phones and e-mails."""

    file_name = "traders.csv"
    legal_basis = REGISTER
    key_columns = ("trader_id",)
    refs_free = True
    columns = (
        Column("trader_id", f.text, required=True),
        Column("name", f.text, required=True),
        Column("kvk_number", f.kvk),
        Column("excise_number", f.excise_number),
        Column("vat_number", f.text),
        Column("legal_form", f.code(f.LEGAL_FORMS, lower=True)),
        Column("sbi_code", f.text),
        Column("excise_status", f.code(f.EXCISE_STATUSES, lower=True)),
        Column("status", f.code(f.TRADER_STATUSES, lower=True)),
        Column("registered_on", f.date),
        Column("dissolved_on", f.date),
        *address_columns(coordinates=True),
        Column("phone", f.multi(f.phone)),
        Column("email", f.multi(f.email)),
        Column("is_chain", f.boolean),
    )
    query_order = (
        node_write("Trader"),
        node_write("Address"),
        node_write("Phone"),
        node_write("Email"),
        link_write("REGISTERED_AT", "Trader", "Address"),
        link_write("HAS_PHONE", "Trader", "Phone"),
        link_write("HAS_EMAIL", "Trader", "Email"),
    )

    def check(self, rec: dict[str, Any]) -> list[tuple[str, str]]:
        errs = []
        if (rec.get("country") or "NL") == "NL" and rec.get("postcode") and \
                norm.normalize_postcode(rec["postcode"], "NL") is None:
            errs.append(("postcode", f"not a Dutch postcode (1234 AB): {rec['postcode']!r}"))
        if rec.get("dissolved_on") and rec.get("registered_on") and \
                rec["dissolved_on"] < rec["registered_on"]:
            errs.append(("dissolved_on", "dissolved before it was registered"))
        return errs

    def register(self, rec: dict[str, Any], refs: RefIndex) -> None:
        tid = rec["trader_id"]
        refs.traders.add(tid)
        if rec.get("kvk_number"):
            refs.trader_by_kvk[rec["kvk_number"]] = tid
        if rec.get("excise_number"):
            refs.trader_by_excise[rec["excise_number"]] = tid

    def operations(self, rec: dict[str, Any], refs: RefIndex) -> list[Op]:
        tid = rec["trader_id"]
        p = props(rec, ("name", "kvk_number", "excise_number", "vat_number", "legal_form",
                        "sbi_code", "excise_status", "status", "registered_on",
                        "dissolved_on", "is_chain", "country"))
        p["name_norm"] = norm.normalize_company_name(rec["name"])
        return [node("Trader", tid, p), *contact_ops("Trader", tid, rec, "REGISTERED_AT")]


class PersonLoader(Loader):
    """persons.csv: natural persons, their home address, phones and e-mails."""

    file_name = "persons.csv"
    legal_basis = REGISTER
    key_columns = ("person_id",)
    refs_free = True
    columns = (
        Column("person_id", f.text, required=True),
        Column("full_name", f.text, required=True),
        Column("birth_date", f.date),
        Column("nationality", f.country),
        *address_columns(),
        Column("phone", f.multi(f.phone)),
        Column("email", f.multi(f.email)),
    )
    query_order = (
        node_write("Person"),
        node_write("Address"),
        node_write("Phone"),
        node_write("Email"),
        link_write("LIVES_AT", "Person", "Address"),
        link_write("HAS_PHONE", "Person", "Phone"),
        link_write("HAS_EMAIL", "Person", "Email"),
    )

    def register(self, rec: dict[str, Any], refs: RefIndex) -> None:
        refs.persons.add(rec["person_id"])

    def operations(self, rec: dict[str, Any], refs: RefIndex) -> list[Op]:
        pid = rec["person_id"]
        return [node("Person", pid, props(rec, ("full_name", "birth_date", "nationality"))),
                *contact_ops("Person", pid, rec, "LIVES_AT")]


class RoleLoader(Loader):
    """roles.csv: who stands behind a trader, and since when."""

    file_name = "roles.csv"
    legal_basis = REGISTER
    key_columns = ("person_id", "trader_id", "role")
    refs_free = True
    columns = (
        Column("person_id", f.text, required=True),
        Column("trader_id", f.text, required=True),
        Column("role", f.code(f.ROLES, lower=True), required=True),
        Column("since", f.date),
        Column("until", f.date),
    )
    query_order = (
        link_write("HAS_ROLE", "Person", "Trader"),
    )

    def check(self, rec):
        if rec.get("since") and rec.get("until") and rec["until"] < rec["since"]:
            return [("until", "ends before it begins")]
        return []

    def check_refs(self, rec, refs):
        errs = []
        if rec["person_id"] not in refs.persons:
            errs.append(("person_id", f"no person {rec['person_id']!r} in persons.csv or the "
                                      "graph"))
        if rec["trader_id"] not in refs.traders:
            errs.append(("trader_id", f"no trader {rec['trader_id']!r} in traders.csv or the "
                                      "graph"))
        return errs

    def operations(self, rec, refs):
        return [link("HAS_ROLE", "Person", rec["person_id"], "Trader", rec["trader_id"],
                     props(rec, ("since", "until")), role=rec["role"])]


class PremiseLoader(Loader):
    """premises.csv: tax warehouses, factories, units, shops, residences."""

    file_name = "premises.csv"
    legal_basis = SUPERVISION
    key_columns = ("premise_id",)
    refs_free = True
    columns = (
        Column("premise_id", f.text, required=True),
        Column("kind", f.code(f.PREMISE_KINDS, lower=True), required=True),
        Column("excise_number", f.excise_number),
        Column("operator_trader_id", f.text),
        *address_columns(coordinates=True),
        Column("lease_start", f.date),
        Column("lease_end", f.date),
        Column("floor_area_m2", f.non_negative),
    )
    query_order = (
        node_write("Premise"),
        node_write("Address"),
        link_write("LOCATED_AT", "Premise", "Address"),
        link_write("OPERATES", "Trader", "Premise"),
    )

    def check(self, rec):
        if rec.get("lease_start") and rec.get("lease_end") and rec["lease_end"] < rec["lease_start"]:
            return [("lease_end", "lease ends before it starts")]
        return []

    def check_refs(self, rec, refs):
        op = rec.get("operator_trader_id")
        if op and op not in refs.traders:
            return [("operator_trader_id", f"no trader {op!r} in traders.csv or the graph")]
        return []

    def register(self, rec, refs):
        refs.premises.add(rec["premise_id"])
        if rec.get("excise_number"):
            refs.premise_by_excise[rec["excise_number"]] = rec["premise_id"]
        if rec.get("operator_trader_id"):
            refs.operator_of_premise[rec["premise_id"]] = rec["operator_trader_id"]

    def operations(self, rec, refs):
        pid = rec["premise_id"]
        ops = [node("Premise", pid, props(rec, ("kind", "excise_number", "lease_start",
                                                 "lease_end", "floor_area_m2", "lat", "lon")))]
        key, addr = address_ops(rec)
        ops += addr
        if key:
            ops.append(link("LOCATED_AT", "Premise", pid, "Address", key))
        if rec.get("operator_trader_id"):
            ops.append(link("OPERATES", "Trader", rec["operator_trader_id"], "Premise", pid,
                            props(rec, ("lease_start", "lease_end"))))
        return ops
