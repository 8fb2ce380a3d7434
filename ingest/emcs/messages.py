"""Read EMCS phase-4 messages (IE801, IE803, IE810, IE813, IE818, IE819, IE871).

Elements are found by local name, so any schema version reads (V3.13, V3.23, …); the
version is kept from the namespace. Every message becomes one `EmcsMessage`: what it
says about the movement (`head`, with the movements.csv column names), per body record
(`lines`), and what it says as an event (`event`, kept on a MovementEvent node).
Where each field comes from: docs/data-contract.md, "EMCS XML messages".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from lxml import etree

from graphfraud.ingest.emcs.codes import member_state, split_datetime, to_utc, unit_for
from graphfraud.resolve import normalize as norm

CONTAINERS = {
    "IE801": "EADESADContainer", "IE803": "NotificationOfDivertedEADESAD",
    "IE810": "CancellationOfEAD", "IE813": "ChangeOfDestination",
    "IE818": "AcceptedOrRejectedReportOfReceiptExport", "IE819": "AlertOrRejectionOfEADESAD",
    "IE871": "ExplanationOnReasonForShortage",
}
RECEIPT_STATUS = {"1": "delivered", "2": "delivered", "3": "refused", "4": "partially_refused",
                  "21": "delivered", "22": "delivered", "23": "refused"}
#: transport unit codes whose identity can be a registration plate (2 vehicle,
#: 3 trailer, 4 tractor); 1 container and 5 fixed installation never are
PLATE_UNIT_CODES = frozenset({"2", "3", "4"})
_PLATE = re.compile(r"(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{4,10}")


@dataclass
class EmcsMessage:
    """One message, read; `head`/`lines` use movements.csv column names."""

    kind: str
    version: str
    arc: str
    sequence: str
    validated_at: str
    message_id: str
    file: str
    index: int
    head: dict[str, str] = field(default_factory=dict)
    lines: list[dict[str, str]] = field(default_factory=list)
    event: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable across deliveries: the same message read twice has the same key."""
        return f"{self.arc}/{self.kind}/{self.message_id or self.validated_at}"

    def to_dict(self) -> dict[str, Any]:
        """The message as plain data (a fresh copy, as `dataclasses.asdict` gives it,
        without its per-value `deepcopy`: the values are strings and numbers)."""
        return {f.name: _copied(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EmcsMessage:
        return cls(**d)


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copied(v) for v in value)
    return value


# -- element access by local name ---------------------------------------------------------
def child(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first child element of each local name in turn (any namespace or none), None
    where one is missing. lxml matches `{*}name` in C (`iterchildren`), which took a
    third off the EMCS reader's element look-ups against a loop over the children here."""
    for name in path:
        if el is None:
            return None
        el = next(el.iterchildren(_any_namespace(name)), None)
    return el


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Every child element of that local name, in document order."""
    if el is None:
        return []
    return list(el.iterchildren(_any_namespace(name)))


@cache
def _any_namespace(name: str) -> str:
    return "{*}" + name


#: what national systems write into a required element they have no value for
PLACEHOLDERS = frozenset({"-", ".", "--", "n/a", "N/A"})


def text(el: etree._Element | None, *path: str) -> str:
    """The element's text, whitespace collapsed; '' when absent or a placeholder."""
    found = child(el, *path)
    value = " ".join((found.text or "").split()) if found is not None else ""
    return "" if value in PLACEHOLDERS else value


def _street(party: etree._Element | None) -> str:
    """StreetName and StreetNumber as one street line (the contract's consignee_street)."""
    return " ".join(p for p in (text(party, "StreetName"), text(party, "StreetNumber")) if p)


def _recipient_state(header: etree._Element | None) -> str:
    recipient = text(header, "MessageRecipient")  # NDEA.NL
    return recipient[5:7] if recipient.startswith("NDEA.") else ""


def _party(prefix: str, party: etree._Element | None, fallback_state: str) -> dict[str, str]:
    trader_id = text(party, "Traderid")
    return {f"{prefix}excise_number": trader_id, f"{prefix}name": text(party, "TraderName"),
            f"{prefix}street": _street(party), f"{prefix}postcode": text(party, "Postcode"),
            f"{prefix}city": text(party, "City"),
            f"{prefix}country": (member_state(trader_id) or fallback_state)
            if party is not None else ""}


def _delivery_place(place: etree._Element | None, consignee_state: str) -> dict[str, str]:
    """`delivery_place` (the tax warehouse's excise number, else the address as one line)
    and the place's address columns, resolved like a consignee address."""
    if place is None:
        return {}
    trader_id = text(place, "Traderid")
    street, postcode, city = _street(place), text(place, "Postcode"), text(place, "City")
    address = ", ".join(p for p in (street, " ".join(x for x in (postcode, city) if x)) if p)
    return {"delivery_place": trader_id or address,
            "delivery_place_name": text(place, "TraderName"),
            "delivery_place_street": street, "delivery_place_postcode": postcode,
            "delivery_place_city": city,
            "delivery_place_country": member_state(trader_id) or consignee_state
            if (street or postcode) else ""}


def transport_units(details: list[etree._Element]) -> tuple[list[str], list[str]]:
    """(plates, other units as text): an identity is a plate only when its unit code is
    a vehicle, trailer or tractor and it reads like one (4-10 letters and digits, both
    present, once spaces and dashes are gone); anything else is kept as text
    (`<unit code>:<identity>`), never refused."""
    plates: list[str] = []
    others: list[str] = []
    for d in details:
        code, ident = text(d, "TransportUnitCode"), text(d, "IdentityOfTransportUnits")
        if not ident:
            continue
        normal = norm.normalize_plate(ident) or ""
        if code in PLATE_UNIT_CODES and _PLATE.fullmatch(normal):
            plates.append(ident)
        else:
            others.append(f"{code}:{ident}" if code else ident)
    return plates, others


def _validated(container: etree._Element, header: etree._Element | None, path: tuple[str, ...],
               arc: str) -> str:
    date, time = split_datetime(text(container, *path))
    if not date:  # optional in follow-ups: the message's preparation time instead
        date, time = text(header, "DateOfPreparation"), text(header, "TimeOfPreparation")[:8]
    return to_utc(date, time, arc) if arc else ""


# -- one reader per message type ----------------------------------------------------------
def _ie801(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "ExciseMovement", "AdministrativeReferenceCode")
    m.sequence = text(c, "HeaderEadEsad", "SequenceNumber") or "1"
    m.validated_at = _validated(c, h, ("ExciseMovement", "DateAndTimeOfValidationOfEadEsad"),
                                m.arc)
    consignee = child(c, "ConsigneeTrader")
    head = _party("consignee_", consignee, _recipient_state(h))
    head["consignee_excise_number"] = text(consignee, "Traderid")
    place = child(c, "DeliveryPlaceTrader")
    head.update(_delivery_place(place, head["consignee_country"] or _recipient_state(h)))
    if not head["consignee_country"] and head.get("delivery_place_country"):
        head["consignee_country"] = head["delivery_place_country"]
    plates, others = transport_units(children(c, "TransportDetails"))
    head.update({
        "arc": m.arc, "sequence": m.sequence,
        "consignor_excise_number": text(c, "ConsignorTrader", "TraderExciseNumber"),
        "place_of_dispatch": text(c, "PlaceOfDispatchTrader", "ReferenceOfTaxWarehouse"),
        "destination_type": text(c, "HeaderEadEsad", "DestinationTypeCode"),
        "journey_time": text(c, "HeaderEadEsad", "JourneyTime"),
        "origin_type": text(c, "EadEsad", "OriginTypeCode"),
        "dispatched_at": to_utc(text(c, "EadEsad", "DateOfDispatch"),
                                text(c, "EadEsad", "TimeOfDispatch")[:8], m.arc),
        "transport_mode": text(c, "TransportMode", "TransportModeCode"),
        "transporter_vat": text(c, "FirstTransporterTrader", "VatNumber"),
        "transporter_name": text(c, "FirstTransporterTrader", "TraderName"),
        "vehicle_plate": ";".join(plates), "transport_units": ";".join(others),
        "guarantor_type": text(c, "MovementGuarantee", "GuarantorTypeCode"),
        "validated_at": m.validated_at, "status": "accepted",
    })
    m.head = head
    for n, body in enumerate(children(c, "BodyEadEsad"), start=1):
        epc = text(body, "ExciseProductCode")
        m.lines.append({"line": text(body, "BodyRecordUniqueReference") or str(n), "epc": epc,
                        "cn_code": text(body, "CnCode"), "quantity": text(body, "Quantity"),
                        "unit": unit_for(epc), "brand": text(body, "BrandNameOfProducts")})
    m.event = {"local_reference": text(c, "EadEsad", "LocalReferenceNumber")}


def _ie813(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "UpdateEadEsad", "AdministrativeReferenceCode")
    m.sequence = text(c, "UpdateEadEsad", "SequenceNumber")
    m.validated_at = _validated(
        c, h, ("Attributes", "DateAndTimeOfValidationOfChangeOfDestination"), m.arc)
    changed = child(c, "DestinationChanged")
    consignee = child(changed, "NewConsigneeTrader")
    head: dict[str, str] = {"destination_type": text(changed, "DestinationTypeCode")}
    if consignee is not None:
        head.update(_party("consignee_", consignee, _recipient_state(h)))
    head.update(_delivery_place(child(changed, "DeliveryPlaceTrader"),
                                head.get("consignee_country", "")))
    for name, path in (("journey_time", ("UpdateEadEsad", "JourneyTime")),
                       ("transport_mode", ("UpdateEadEsad", "TransportModeCode")),
                       ("transporter_vat", ("NewTransporterTrader", "VatNumber")),
                       ("transporter_name", ("NewTransporterTrader", "TraderName")),
                       ("guarantor_type", ("DestinationChanged", "MovementGuarantee",
                                           "GuarantorTypeCode"))):
        if text(c, *path):
            head[name] = text(c, *path)
    details = children(c, "TransportDetails")
    if details:
        plates, others = transport_units(details)
        head["vehicle_plate"], head["transport_units"] = ";".join(plates), ";".join(others)
    m.head = head
    m.event = {"destination_type": head["destination_type"],
               "new_consignee": head.get("consignee_excise_number") or
               head.get("consignee_name", ""),
               "delivery_place": head.get("delivery_place", "")}


def _ie818(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "ExciseMovement", "AdministrativeReferenceCode")
    m.sequence = text(c, "ExciseMovement", "SequenceNumber")
    m.validated_at = _validated(
        c, h, ("Attributes", "DateAndTimeOfValidationOfReportOfReceiptExport"), m.arc)
    conclusion = text(c, "ReportOfReceiptExport", "GlobalConclusionOfReceipt")
    m.head = {"received_at": text(c, "ReportOfReceiptExport", "DateOfArrivalOfExciseProducts"),
              "receipt_conclusion": conclusion,
              "status": RECEIPT_STATUS.get(conclusion, "delivered")}
    for body in children(c, "BodyReportOfReceiptExport"):
        m.lines.append({
            "line": text(body, "BodyRecordUniqueReference"),
            "shortage_or_excess": text(body, "IndicatorOfShortageOrExcess"),
            "observed_difference": text(body, "ObservedShortageOrExcess"),
            "refused_quantity": text(body, "RefusedQuantity"),
            "unsatisfactory_reasons": ";".join(
                text(r, "UnsatisfactoryReasonCode")
                for r in children(body, "UnsatisfactoryReason"))})
    m.event = {"receipt_conclusion": conclusion, "received_at": m.head["received_at"],
               "complementary_information": text(c, "ReportOfReceiptExport",
                                                 "ComplementaryInformation")}


def _ie810(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "ExciseMovementEad", "AdministrativeReferenceCode")
    m.validated_at = _validated(c, h, ("Attributes", "DateAndTimeOfValidationOfCancellation"),
                                m.arc)
    m.head = {"cancelled_at": m.validated_at, "status": "cancelled"}
    m.event = {"cancellation_reason": text(c, "Cancellation", "CancellationReasonCode"),
               "complementary_information": text(c, "Cancellation", "ComplementaryInformation")}


def _ie819(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "ExciseMovement", "AdministrativeReferenceCode")
    m.sequence = text(c, "ExciseMovement", "SequenceNumber")
    m.validated_at = _validated(c, h, ("Attributes", "DateAndTimeOfValidationOfAlertRejection"),
                                m.arc)
    rejected = text(c, "AlertOrRejection", "EadEsadRejectedFlag") == "1"
    reasons = children(c, "AlertOrRejectionOfEadEsadReason")
    m.event = {"rejected": "1" if rejected else "0",
               "alert_date": text(c, "AlertOrRejection", "DateOfAlertOrRejection"),
               "reason_codes": ";".join(text(r, "AlertOrRejectionOfMovementReasonCode")
                                        for r in reasons),
               "complementary_information": " | ".join(
                   text(r, "ComplementaryInformation") for r in reasons
                   if text(r, "ComplementaryInformation"))}
    m.head = {"status": "rejected", "rejected_at": m.event["alert_date"]} if rejected else {}


def _ie871(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "ExciseMovement", "AdministrativeReferenceCode")
    m.sequence = text(c, "ExciseMovement", "SequenceNumber")
    m.validated_at = _validated(
        c, h, ("Attributes", "DateAndTimeOfValidationOfExplanationOnShortage"), m.arc)
    m.event = {"submitter_type": text(c, "Attributes", "SubmitterType"),
               "analysis_date": text(c, "Analysis", "DateOfAnalysis"),
               "explanation": text(c, "Analysis", "GlobalExplanation")}
    for body in children(c, "BodyAnalysis"):
        m.lines.append({"line": text(body, "BodyRecordUniqueReference"),
                        "epc": text(body, "ExciseProductCode"),
                        "explanation": text(body, "Explanation"),
                        "actual_quantity": text(body, "ActualQuantity")})
    m.head = {"shortage_explained": "1"}


def _ie803(c: etree._Element, h: etree._Element | None, m: EmcsMessage) -> None:
    m.arc = text(c, "ExciseNotification", "AdministrativeReferenceCode")
    m.sequence = text(c, "ExciseNotification", "SequenceNumber")
    date, time = split_datetime(text(c, "ExciseNotification", "NotificationDateAndTime"))
    m.validated_at = to_utc(date, time, m.arc) if m.arc else ""
    m.event = {"notification_type": text(c, "ExciseNotification", "NotificationType"),
               "downstream_arcs": ";".join(text(d, "AdministrativeReferenceCode")
                                           for d in children(c, "DownstreamArc"))}


READERS = {"IE801": _ie801, "IE803": _ie803, "IE810": _ie810, "IE813": _ie813,
           "IE818": _ie818, "IE819": _ie819, "IE871": _ie871}


def read_message(root: etree._Element, kind: str, version: str, file: str,
                 index: int) -> EmcsMessage:
    """One message root (`<ie:IE801>` …) read into an EmcsMessage."""
    header = child(root, "Header")
    container = child(root, "Body", CONTAINERS[kind])
    m = EmcsMessage(kind, version, "", "", "", text(header, "MessageIdentifier"), file, index)
    if container is not None:
        READERS[kind](container, header, m)
    return m
