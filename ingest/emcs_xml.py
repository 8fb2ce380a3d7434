"""Read EMCS XML messages (IE801, IE813, IE818, IE810) into movements.csv rows.

The XML shape (modelled on EMCS phase-4 element names; a namespace is optional and
ignored). A file has a root element holding any number of messages:

    <EMCSMessages xmlns="urn:graphfraud:emcs:1">
      <IE801>                                   e-AD, one row per BodyEadEsad
        <ExciseMovementEad><AdministrativeReferenceCode/><SequenceNumber/></ExciseMovementEad>
        <ConsignorTrader><TraderExciseNumber/></ConsignorTrader>
        <PlaceOfDispatchTrader><ReferenceOfTaxWarehouse/></PlaceOfDispatchTrader>
        <ConsigneeTrader><Traderid/><TraderName/><StreetName/><Postcode/><City/><CountryCode/>
        </ConsigneeTrader>
        <DeliveryPlaceTrader><Reference/></DeliveryPlaceTrader>   warehouse ref or address text
        <HeaderEadEsad><DestinationTypeCode/><JourneyTime/></HeaderEadEsad>
        <TransportMode><TransportModeCode/></TransportMode>
        <FirstTransporterTrader><VatNumber/><TraderName/></FirstTransporterTrader>
        <MovementGuarantee><GuarantorTypeCode/></MovementGuarantee>
        <EadEsad><OriginTypeCode/><DateOfDispatch/><TimeOfDispatch/></EadEsad>
        <TransportDetails><TransportUnitCode/><IdentityOfTransportUnits/></TransportDetails>*
        <BodyEadEsad><BodyRecordUniqueReference/><ExciseProductCode/><CnCode/><Quantity/>
          <UnitOfMeasureCode/><BrandNameOfProducts/></BodyEadEsad>*
      </IE801>
      <IE813>                                   change of destination
        <ExciseMovement><AdministrativeReferenceCode/><SequenceNumber/>(the new one)</ExciseMovement>
        <UpdateEadEsad><JourneyTime/></UpdateEadEsad>
        <DestinationChanged><DestinationTypeCode/><NewConsigneeTrader>…as above…</NewConsigneeTrader>
          <DeliveryPlaceTrader><Reference/></DeliveryPlaceTrader></DestinationChanged>
      </IE813>
      <IE818>                                   report of receipt
        <ExciseMovement><AdministrativeReferenceCode/><SequenceNumber/></ExciseMovement>
        <ReportOfReceiptExport><DateOfArrivalOfExciseProducts/><GlobalConclusionOfReceipt/>
        </ReportOfReceiptExport>
        <BodyReportOfReceiptExport><BodyRecordUniqueReference/><IndicatorOfShortageOrExcess/>
          <ObservedShortageOrExcess/></BodyReportOfReceiptExport>*   only lines with S/E
      </IE818>
      <IE810><Cancellation><AdministrativeReferenceCode/><DateAndTimeOfValidationOfCancellation/>
        <CancellationReasonCode/></Cancellation></IE810>
    </EMCSMessages>

`read_emcs_dir` yields partial rows per message (every movements.csv column present,
empty when the message does not say it); `merge_emcs_messages` folds them into full
movement-line rows keyed by (arc, sequence, line). A row's message type is implied by
what it fills: `epc` → IE801 line; `cancelled_at` → IE810; `receipt_conclusion` → IE818
(header when `line` is empty, a line's shortage/excess otherwise); else → IE813.

DOCTYPE declarations and entities are refused (billion-laughs and external-entity
attacks) with a ValueError naming the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

MOVEMENT_COLUMNS = [
    "arc", "sequence", "line", "consignor_excise_number", "place_of_dispatch",
    "consignee_excise_number", "consignee_name", "consignee_street", "consignee_postcode",
    "consignee_city", "consignee_country", "delivery_place", "destination_type", "origin_type",
    "epc", "cn_code", "brand", "quantity", "unit", "dispatched_at", "journey_time",
    "transport_mode", "transporter_name", "transporter_vat", "vehicle_plate", "guarantor_type",
    "status", "received_at", "receipt_conclusion", "shortage_or_excess", "observed_difference",
    "cancelled_at", "destination_changes",
]
RECEIPT_STATUS = {"1": "delivered", "2": "delivered", "3": "refused", "4": "partially_refused",
                  "21": "delivered", "22": "delivered", "23": "refused"}
CONSIGNEE_FIELDS = ["consignee_excise_number", "consignee_name", "consignee_street",
                    "consignee_postcode", "consignee_city", "consignee_country",
                    "delivery_place", "destination_type", "journey_time"]
_FORBIDDEN = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

Row = dict[str, str]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(el: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c.tag) == name), None)
    return el


def _text(el: ET.Element | None, *path: str) -> str:
    found = _find(el, *path)
    return (found.text or "").strip() if found is not None else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _blank() -> Row:
    return dict.fromkeys(MOVEMENT_COLUMNS, "")


def _consignee(row: Row, party: ET.Element | None) -> None:
    row["consignee_excise_number"] = _text(party, "Traderid")
    row["consignee_name"] = _text(party, "TraderName")
    row["consignee_street"] = _text(party, "StreetName")
    row["consignee_postcode"] = _text(party, "Postcode")
    row["consignee_city"] = _text(party, "City")
    row["consignee_country"] = _text(party, "CountryCode")


def _ie801(msg: ET.Element) -> Iterator[Row]:
    head = _blank()
    head["arc"] = _text(msg, "ExciseMovementEad", "AdministrativeReferenceCode")
    head["sequence"] = _text(msg, "ExciseMovementEad", "SequenceNumber") or "1"
    head["consignor_excise_number"] = _text(msg, "ConsignorTrader", "TraderExciseNumber")
    head["place_of_dispatch"] = _text(msg, "PlaceOfDispatchTrader", "ReferenceOfTaxWarehouse")
    _consignee(head, _find(msg, "ConsigneeTrader"))
    head["delivery_place"] = _text(msg, "DeliveryPlaceTrader", "Reference")
    head["destination_type"] = _text(msg, "HeaderEadEsad", "DestinationTypeCode")
    head["journey_time"] = _text(msg, "HeaderEadEsad", "JourneyTime")
    head["transport_mode"] = _text(msg, "TransportMode", "TransportModeCode")
    head["transporter_vat"] = _text(msg, "FirstTransporterTrader", "VatNumber")
    head["transporter_name"] = _text(msg, "FirstTransporterTrader", "TraderName")
    head["guarantor_type"] = _text(msg, "MovementGuarantee", "GuarantorTypeCode")
    head["origin_type"] = _text(msg, "EadEsad", "OriginTypeCode")
    date, time = _text(msg, "EadEsad", "DateOfDispatch"), _text(msg, "EadEsad", "TimeOfDispatch")
    head["dispatched_at"] = f"{date}T{time}" if date and time else date
    head["vehicle_plate"] = ";".join(
        _text(t, "IdentityOfTransportUnits") for t in _children(msg, "TransportDetails")
        if _text(t, "IdentityOfTransportUnits"))
    head["status"] = "accepted"
    for n, body in enumerate(_children(msg, "BodyEadEsad"), start=1):
        row = dict(head)
        row["line"] = _text(body, "BodyRecordUniqueReference") or str(n)
        row["epc"] = _text(body, "ExciseProductCode")
        row["cn_code"] = _text(body, "CnCode")
        row["quantity"] = _text(body, "Quantity")
        row["unit"] = _text(body, "UnitOfMeasureCode")
        row["brand"] = _text(body, "BrandNameOfProducts")
        yield row


def _ie813(msg: ET.Element) -> Iterator[Row]:
    row = _blank()
    row["arc"] = _text(msg, "ExciseMovement", "AdministrativeReferenceCode")
    row["sequence"] = _text(msg, "ExciseMovement", "SequenceNumber")
    changed = _find(msg, "DestinationChanged")
    _consignee(row, _find(changed, "NewConsigneeTrader"))
    row["delivery_place"] = _text(changed, "DeliveryPlaceTrader", "Reference")
    row["destination_type"] = _text(changed, "DestinationTypeCode")
    row["journey_time"] = _text(msg, "UpdateEadEsad", "JourneyTime")
    row["destination_changes"] = "1"
    yield row


def _ie818(msg: ET.Element) -> Iterator[Row]:
    head = _blank()
    head["arc"] = _text(msg, "ExciseMovement", "AdministrativeReferenceCode")
    head["sequence"] = _text(msg, "ExciseMovement", "SequenceNumber") or "1"
    head["received_at"] = _text(msg, "ReportOfReceiptExport", "DateOfArrivalOfExciseProducts")
    head["receipt_conclusion"] = _text(msg, "ReportOfReceiptExport", "GlobalConclusionOfReceipt")
    head["status"] = RECEIPT_STATUS.get(head["receipt_conclusion"], "delivered")
    yield head
    for body in _children(msg, "BodyReportOfReceiptExport"):
        row = dict(head)
        row["line"] = _text(body, "BodyRecordUniqueReference")
        row["shortage_or_excess"] = _text(body, "IndicatorOfShortageOrExcess")
        row["observed_difference"] = _text(body, "ObservedShortageOrExcess")
        yield row


def _ie810(msg: ET.Element) -> Iterator[Row]:
    row = _blank()
    row["arc"] = _text(msg, "Cancellation", "AdministrativeReferenceCode")
    row["cancelled_at"] = _text(msg, "Cancellation", "DateAndTimeOfValidationOfCancellation")
    row["status"] = "cancelled"
    yield row


HANDLERS = {"IE801": _ie801, "IE813": _ie813, "IE818": _ie818, "IE810": _ie810}


def parse_emcs_bytes(data: bytes, name: str) -> Iterator[tuple[int, Row]]:
    """(message index, partial row) for every message in one XML document."""
    if _FORBIDDEN.search(data):
        raise ValueError(f"{name}: DOCTYPE/ENTITY declarations are not allowed in EMCS XML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"{name}: not well-formed XML ({exc})") from exc
    messages = [root] if _local(root.tag) in HANDLERS else list(root)
    for idx, msg in enumerate(messages, start=1):
        handler = HANDLERS.get(_local(msg.tag))
        if handler is None:
            continue  # other message types (IE802, IE819, …) do not change a movement row
        for row in handler(msg):
            yield idx, row


def read_emcs_dir(path: Path) -> Iterator[tuple[str, int, Row]]:
    """Yield (file name, message index, partial row) for every `*.xml` in `path`, sorted."""
    for file in sorted(Path(path).glob("*.xml")):
        for idx, row in parse_emcs_bytes(file.read_bytes(), file.name):
            yield file.name, idx, row


def message_kind(row: Row) -> str:
    """IE801/IE810/IE818/IE813 from which fields a partial row fills."""
    if row.get("epc"):
        return "IE801"
    if row.get("cancelled_at"):
        return "IE810"
    if row.get("receipt_conclusion"):
        return "IE818"
    return "IE813"


def merge_emcs_messages(rows: Iterable[Row | tuple[str, int, Row]]) -> list[Row]:
    """Fold IE813/IE818/IE810 partial rows into full rows keyed by (arc, sequence, line).

    Accepts the triples of `read_emcs_dir` or bare rows. Messages are applied in EMCS
    order (e-AD, changes of destination by sequence, receipt, cancellation) whatever the
    file order. Earlier sequences get status `replaced`; `destination_changes` is the
    ARC's number of IE813 messages on every row.
    """
    order = {"IE801": 0, "IE813": 1, "IE818": 2, "IE810": 3}
    plain = [r[2] if isinstance(r, tuple) else r for r in rows]
    staged = sorted(
        ((order[message_kind(r)], int(r.get("sequence") or 0), i, r) for i, r in enumerate(plain)),
        key=lambda x: (x[0], x[1], x[2]),
    )
    lines: dict[str, dict[int, dict[int, Row]]] = {}
    first_seen: dict[str, int] = {}
    for _, _, i, r in staged:
        arc = r["arc"]
        kind = message_kind(r)
        seqs = lines.setdefault(arc, {})
        first_seen.setdefault(arc, i)
        first_seen[arc] = min(first_seen[arc], i)
        if kind == "IE801":
            seqs.setdefault(int(r["sequence"] or 1), {})[int(r["line"] or 1)] = dict(r)
        elif kind == "IE813" and seqs:
            prev = seqs[max(seqs)]
            new_seq = int(r["sequence"] or max(seqs) + 1)
            new: dict[int, Row] = {}
            for n, old in prev.items():
                nr = dict(old)
                for f in CONSIGNEE_FIELDS:
                    nr[f] = r[f] if r[f] or f.startswith("consignee") else old[f]
                nr["sequence"] = str(new_seq)
                nr["status"] = "accepted"
                old["status"] = "replaced"
                new[n] = nr
            seqs[new_seq] = new
        elif kind == "IE818" and seqs:
            target = seqs.get(int(r["sequence"] or max(seqs)), seqs[max(seqs)])
            if not r["line"]:
                for lr in target.values():
                    for f in ("received_at", "receipt_conclusion", "status"):
                        lr[f] = r[f]
            elif int(r["line"]) in target:
                lr = target[int(r["line"])]
                lr["shortage_or_excess"] = r["shortage_or_excess"]
                lr["observed_difference"] = r["observed_difference"]
        elif kind == "IE810" and seqs:
            for lr in seqs[max(seqs)].values():
                lr["cancelled_at"] = r["cancelled_at"]
                lr["status"] = "cancelled"
    out: list[Row] = []
    for arc in sorted(lines, key=lambda a: first_seen[a]):
        seqs = lines[arc]
        changes = str(len(seqs) - 1)
        for seq in sorted(seqs):
            for n in sorted(seqs[seq]):
                row = seqs[seq][n]
                row["destination_changes"] = changes
                out.append({c: row.get(c, "") for c in MOVEMENT_COLUMNS})
    return out
