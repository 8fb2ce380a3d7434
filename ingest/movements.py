"""movements.csv (and EMCS XML, folded to the same rows): one row per e-AD body line."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphfraud.ingest import fields as f
from graphfraud.ingest.batch import Grouped
from graphfraud.ingest.common import address_node, address_ops
from graphfraud.ingest.framework import Column, Loader, Op, RefIndex, link, node, props
from graphfraud.ingest.mentions import mention_ops
from graphfraud.ingest.references import EXCISE
from graphfraud.model.operations import link_write, node_write
from graphfraud.model.schema import SUPERVISION

HEADER_PROPS = ("sequence", "consignor_excise_number", "consignee_excise_number",
                "consignee_name", "destination_type", "origin_type", "dispatched_at",
                "journey_time", "transport_mode", "transporter_name", "transporter_vat",
                "guarantor_type", "status", "received_at", "receipt_conclusion", "cancelled_at",
                "destination_changes", "delivery_place", "place_of_dispatch",
                "delivery_place_name", "transport_units", "validated_at", "rejected_at",
                "shortage_explained")
LINE_PROPS = ("sequence", "line", "epc", "cn_code", "brand", "quantity", "unit",
              "shortage_or_excess", "observed_difference")
# the writes of `operations_into`, made once (it runs for every row)
_MOVEMENT, _LINE = node_write("Movement"), node_write("MovementLine")
_ADDRESS, _VEHICLE = node_write("Address"), node_write("Vehicle")
_HAS_LINE = link_write("HAS_LINE", "Movement", "MovementLine")
_CONSIGNED_BY = link_write("CONSIGNED_BY", "Movement", "Trader")
_CONSIGNED_TO = link_write("CONSIGNED_TO", "Movement", "Trader")
_DISPATCHED_FROM = link_write("DISPATCHED_FROM", "Movement", "Premise")
_TO_PREMISE = link_write("DELIVERED_TO", "Movement", "Premise")
_TO_ADDRESS = link_write("DELIVERED_TO", "Movement", "Address")
_CARRIED_BY = link_write("CARRIED_BY", "Movement", "Vehicle")
#: a row's references as `MovementLoader.resolve` finds them
Resolved = tuple[str | None, str | None, str | None, str | None]


class MovementLoader(Loader):
    """An e-AD: the Movement (by ARC), its lines, parties, places and vehicles."""

    file_name = "movements.csv"
    legal_basis = SUPERVISION
    key_columns = ("arc", "sequence", "line")
    #: `check_refs`, `resolve` and `operations` only ask who stands behind an excise number
    references = frozenset({EXCISE})
    columns = (
        Column("arc", f.arc, required=True),
        Column("sequence", f.int_range(1, 99)),
        Column("line", f.int_range(1, 999)),
        Column("consignor_excise_number", f.excise_number, required=True),
        Column("place_of_dispatch", f.excise_number),
        Column("consignee_excise_number", f.excise_number),
        Column("consignee_name", f.text),
        Column("consignee_street", f.text),
        Column("consignee_postcode", f.postcode_any),
        Column("consignee_city", f.text),
        Column("consignee_country", f.country),
        Column("delivery_place", f.text),
        Column("destination_type", f.code(f.DESTINATION_TYPES)),
        Column("origin_type", f.code(f.ORIGIN_TYPES)),
        Column("epc", f.epc, required=True),
        Column("cn_code", f.cn_code),
        Column("brand", f.text),
        Column("quantity", f.non_negative, required=True),
        Column("unit", f.code(f.UNITS)),
        Column("dispatched_at", f.date_or_datetime, required=True),
        Column("journey_time", f.journey_time),
        Column("transport_mode", f.text),
        Column("transporter_name", f.text),
        Column("transporter_vat", f.text),
        Column("vehicle_plate", f.multi(f.plate)),
        Column("guarantor_type", f.guarantor_type),
        Column("status", f.code(f.MOVEMENT_STATUSES, lower=True), required=True),
        Column("received_at", f.date_or_datetime),
        Column("receipt_conclusion", f.code(f.RECEIPT_CONCLUSIONS)),
        Column("shortage_or_excess", f.code(("S", "E"))),
        Column("observed_difference", f.non_negative),
        Column("cancelled_at", f.date_or_datetime),
        Column("destination_changes", f.int_range(0, 99)),
        # beyond the contract: what EMCS XML gives (a CSV may carry them too)
        Column("delivery_place_name", f.text),
        Column("delivery_place_street", f.text),
        Column("delivery_place_postcode", f.postcode_any),
        Column("delivery_place_city", f.text),
        Column("delivery_place_country", f.country),
        Column("transport_units", f.text),
        Column("validated_at", f.date_or_datetime),
        Column("rejected_at", f.date_or_datetime),
        Column("shortage_explained", f.int_range(0, 1)),
    )
    query_order = (
        node_write("Movement"),
        node_write("MovementLine"),
        node_write("Address"),
        node_write("Vehicle"),
        node_write("NameMention"),
        link_write("HAS_LINE", "Movement", "MovementLine"),
        link_write("CONSIGNED_BY", "Movement", "Trader"),
        link_write("CONSIGNED_TO", "Movement", "Trader"),
        link_write("DISPATCHED_FROM", "Movement", "Premise"),
        link_write("DELIVERED_TO", "Movement", "Address"),
        link_write("DELIVERED_TO", "Movement", "Premise"),
        link_write("CARRIED_BY", "Movement", "Vehicle"),
        link_write("NAMED_IN", "NameMention", "Movement"),
    )

    def check(self, rec):
        errs = []
        rec["sequence"] = rec.get("sequence") or 1
        rec["line"] = rec.get("line") or 1
        if rec.get("received_at") and rec["received_at"][:10] < rec["dispatched_at"][:10]:
            errs.append(("received_at", "received before it was dispatched"))
        if rec.get("shortage_or_excess") and rec.get("observed_difference") is None:
            errs.append(("observed_difference", "shortage/excess given without a quantity"))
        return errs

    def check_refs(self, rec, refs: RefIndex):
        errs = []
        if refs.trader_for_excise(rec["consignor_excise_number"]) is None:
            errs.append(("consignor_excise_number", "no trader or tax warehouse with excise "
                         f"number {rec['consignor_excise_number']!r}"))
        ce = rec.get("consignee_excise_number")
        if ce and refs.trader_for_excise(ce) is None:
            errs.append(("consignee_excise_number", "no trader or tax warehouse with excise "
                         f"number {ce!r}"))
        return errs

    def check_resolve(self, rec: dict[str, Any], refs: RefIndex,
                      ) -> tuple[list[tuple[str, str]], Resolved | None]:
        """`check_refs` and then `resolve` of a row, each excise number looked up once
        (the bulk load's parse asks both of every row; `register` changes nothing between
        them): the same errors, and where there are none the same references."""
        get = rec.get
        trader_for = refs.trader_for_excise
        consignor = trader_for(rec["consignor_excise_number"])
        ce = get("consignee_excise_number")
        consignee = trader_for(ce) if ce else None
        if consignor is None or (ce and consignee is None):
            return self.check_refs(rec, refs), None
        premises = refs.premise_by_excise
        return [], (consignor, consignee, premises.get(get("place_of_dispatch") or ""),
                    premises.get((get("delivery_place") or "").upper())
                    if get("status") != "replaced" else None)

    def operations(self, rec: dict[str, Any], refs: RefIndex) -> list[Op]:
        arc = rec["arc"]
        line_id = f"{arc}/{rec['sequence']}/{rec['line']}"
        ops = [node("Movement", arc, props(rec, HEADER_PROPS)),
               node("MovementLine", line_id, {"arc": arc, **props(rec, LINE_PROPS)}),
               link("HAS_LINE", "Movement", arc, "MovementLine", line_id)]
        consignor = refs.trader_for_excise(rec["consignor_excise_number"])
        ops.append(link("CONSIGNED_BY", "Movement", arc, "Trader", consignor))
        consignee = refs.trader_for_excise(rec["consignee_excise_number"]) \
            if rec.get("consignee_excise_number") else None
        if consignee:
            ops.append(link("CONSIGNED_TO", "Movement", arc, "Trader", consignee))
        elif rec.get("consignee_name"):
            ops += mention_ops(self.file_name, rec.get("_row", 0), "Movement", arc,
                               "consignee_name", rec["consignee_name"],
                               {"postcode": rec.get("consignee_postcode"),
                                "city": rec.get("consignee_city"),
                                "street": rec.get("consignee_street")})
        dispatch = refs.premise_by_excise.get(rec.get("place_of_dispatch") or "")
        if dispatch:
            ops.append(link("DISPATCHED_FROM", "Movement", arc, "Premise", dispatch))
        if rec.get("status") == "replaced":
            # a superseded sequence: the delivery place is the latest sequence's (a link
            # from here could replace it, the Premise and Address links running apart)
            ops += self._vehicles(arc, rec)
            return ops
        place = refs.premise_by_excise.get((rec.get("delivery_place") or "").upper())
        if place:
            ops.append(link("DELIVERED_TO", "Movement", arc, "Premise", place))
        else:  # the delivery place's own address when given, else the consignee's
            key, addr = address_ops(rec, prefix="delivery_place_")
            if key is None:
                key, addr = address_ops(rec, prefix="consignee_")
            ops += addr
            if key:
                ops.append(link("DELIVERED_TO", "Movement", arc, "Address", key))
        return ops + self._vehicles(arc, rec)

    def operations_into(self, grouped: Grouped, rec: dict[str, Any], refs: RefIndex) -> None:
        """`operations` written straight into the batch's statement rows: the same rows
        (a test compares them), without the per-operation tuples and look-ups."""
        self.statements_into(grouped, rec, self.resolve(rec, refs))

    @staticmethod
    def resolve(rec: dict[str, Any], refs: RefIndex) -> Resolved:
        """What the row's statements need from the reference index, as it stands at the
        row: (consignor, consignee, place of dispatch, delivery premise)."""
        get = rec.get
        ce = get("consignee_excise_number")
        return (refs.trader_for_excise(rec["consignor_excise_number"]),
                refs.trader_for_excise(ce) if ce else None,
                refs.premise_by_excise.get(get("place_of_dispatch") or ""),
                refs.premise_by_excise.get((get("delivery_place") or "").upper())
                if get("status") != "replaced" else None)

    def statements_into(self, grouped: Grouped, rec: dict[str, Any],
                        resolved: Resolved) -> None:
        """The row's statement rows from the row and its `resolve`d references alone (no
        reference index: the bulk load's worker process runs this)."""
        consignor, consignee, dispatch, place = resolved
        arc = rec["arc"]
        line_id = f"{arc}/{rec['sequence']}/{rec['line']}"
        extra = rec.get("_extra")
        get = rec.get
        # the record's values looked up in C (map), not one Python call per name
        header = {n: v for n, v in zip(HEADER_PROPS, map(get, HEADER_PROPS), strict=True)
                  if v is not None}
        line = {"arc": arc}
        line.update((n, v) for n, v in zip(LINE_PROPS, map(get, LINE_PROPS), strict=True)
                    if v is not None)
        if extra:
            for k, v in extra.items():
                header.setdefault(k, v)
                line.setdefault(k, v)
        grouped.upsert_own(_MOVEMENT, arc, header)  # both made here: kept, not copied
        grouped.upsert_own(_LINE, line_id, line)
        edge = grouped.edge
        edge(_HAS_LINE, arc, line_id)
        edge(_CONSIGNED_BY, arc, consignor)
        if consignee:
            edge(_CONSIGNED_TO, arc, consignee)
        elif get("consignee_name"):
            grouped.extend(mention_ops(self.file_name, rec.get("_row", 0), "Movement", arc,
                                       "consignee_name", rec["consignee_name"],
                                       {"postcode": get("consignee_postcode"),
                                        "city": get("consignee_city"),
                                        "street": get("consignee_street")}))
        if dispatch:
            edge(_DISPATCHED_FROM, arc, dispatch)
        if get("status") != "replaced":
            if place:
                edge(_TO_PREMISE, arc, place)
            else:
                key, addr = _address(rec, "delivery_place_")
                if key is None:
                    key, addr = _address(rec, "consignee_")
                if key is not None:
                    grouped.upsert(_ADDRESS, key, addr)
                    edge(_TO_ADDRESS, arc, key)
        for plate in rec["vehicle_plate"]:
            grouped.upsert_own(_VEHICLE, plate, {})
            edge(_CARRIED_BY, arc, plate)

    @staticmethod
    def apply_records(store: Any, file_name: str, records: list[dict[str, Any]],
                      resolved: list[Resolved], extra: dict[str, Any]) -> int:
        """A batch's `statements_into` rows written straight into a collecting store
        (`RecordBatch.apply`; `ingest.movement_apply` says how)."""
        from graphfraud.ingest.movement_apply import apply_movements

        return apply_movements(store, file_name, records, resolved, extra)

    @staticmethod
    def _vehicles(arc: str, rec: dict[str, Any]) -> list[Op]:
        ops: list[Op] = []
        for plate in rec["vehicle_plate"]:
            ops += [node("Vehicle", plate), link("CARRIED_BY", "Movement", arc, "Vehicle", plate)]
        return ops


def _address(rec: dict[str, Any], prefix: str) -> tuple[str | None, dict[str, Any]]:
    """(key, known properties) of the `prefix`ed address of a row."""
    return _known_address(rec.get(f"{prefix}street"), rec.get(f"{prefix}house_number"),
                        rec.get(f"{prefix}postcode"), rec.get(f"{prefix}city"),
                        rec.get(f"{prefix}country"), rec.get(f"{prefix}lat"),
                        rec.get(f"{prefix}lon"))


@lru_cache(maxsize=1 << 18)
def _known_address(*cells: Any) -> tuple[str | None, dict[str, Any]]:
    """`address_node` without the unknown properties (what `node` keeps); shared, so
    never changed (`Grouped.upsert` copies it)."""
    key, props = address_node(*cells)
    return key, {k: v for k, v in props.items() if v is not None}
