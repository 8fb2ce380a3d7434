"""EMCS XML view of movements (the shape read back by `ingest.emcs_xml`).

Files hold up to `PER_FILE` movements each, every movement as its IE801 followed by
its IE813s, then its IE818 or IE810, so a file can be read and merged on its own.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape

from graphfraud.synth.movements import Destination, Movement

NAMESPACE = "urn:graphfraud:emcs:1"
PER_FILE = 500


def _el(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>" if value else ""


def _consignee(tag: str, d: Destination) -> str:
    inner = (_el("Traderid", d.consignee_excise_number) + _el("TraderName", d.consignee_name)
             + _el("StreetName", d.consignee_street) + _el("Postcode", d.consignee_postcode)
             + _el("City", d.consignee_city) + _el("CountryCode", d.consignee_country))
    return f"<{tag}>{inner}</{tag}>" if inner else ""


def _delivery(d: Destination) -> str:
    if not d.delivery_place:
        return ""
    return f"<DeliveryPlaceTrader>{_el('Reference', d.delivery_place)}</DeliveryPlaceTrader>"


def movement_xml(m: Movement) -> str:
    """All messages of one movement, as XML elements (no root)."""
    d0 = m.destinations[0]
    date, time = m.dispatched_at.isoformat(timespec="seconds").split("T")
    parts = [
        "<IE801>",
        f"<ExciseMovementEad>{_el('AdministrativeReferenceCode', m.arc)}"
        f"{_el('SequenceNumber', '1')}</ExciseMovementEad>",
        f"<ConsignorTrader>{_el('TraderExciseNumber', m.consignor_excise_number)}</ConsignorTrader>",
        f"<PlaceOfDispatchTrader>{_el('ReferenceOfTaxWarehouse', m.place_of_dispatch)}"
        "</PlaceOfDispatchTrader>",
        _consignee("ConsigneeTrader", d0),
        _delivery(d0),
        f"<HeaderEadEsad>{_el('DestinationTypeCode', d0.destination_type)}"
        f"{_el('JourneyTime', d0.journey_time)}</HeaderEadEsad>",
        f"<TransportMode>{_el('TransportModeCode', m.transport_mode)}</TransportMode>",
        f"<FirstTransporterTrader>{_el('VatNumber', m.transporter_vat)}"
        f"{_el('TraderName', m.transporter_name)}</FirstTransporterTrader>",
        f"<MovementGuarantee>{_el('GuarantorTypeCode', m.guarantor_type)}</MovementGuarantee>",
        f"<EadEsad>{_el('OriginTypeCode', m.origin_type)}{_el('DateOfDispatch', date)}"
        f"{_el('TimeOfDispatch', time)}</EadEsad>",
    ]
    for plate in m.plates:
        parts.append(f"<TransportDetails>{_el('TransportUnitCode', '2')}"
                     f"{_el('IdentityOfTransportUnits', plate)}</TransportDetails>")
    for n, ln in enumerate(m.lines, start=1):
        parts.append(
            f"<BodyEadEsad>{_el('BodyRecordUniqueReference', str(n))}"
            f"{_el('ExciseProductCode', ln.epc)}{_el('CnCode', ln.cn_code)}"
            f"{_el('Quantity', ln.quantity)}{_el('UnitOfMeasureCode', ln.unit)}"
            f"{_el('BrandNameOfProducts', ln.brand)}</BodyEadEsad>")
    parts.append("</IE801>")
    for seq, d in enumerate(m.destinations[1:], start=2):
        parts.append(
            f"<IE813><ExciseMovement>{_el('AdministrativeReferenceCode', m.arc)}"
            f"{_el('SequenceNumber', str(seq))}</ExciseMovement>"
            f"<UpdateEadEsad>{_el('JourneyTime', d.journey_time)}</UpdateEadEsad>"
            f"<DestinationChanged>{_el('DestinationTypeCode', d.destination_type)}"
            f"{_consignee('NewConsigneeTrader', d)}{_delivery(d)}</DestinationChanged></IE813>")
    last = str(len(m.destinations))
    if m.receipt_conclusion:
        body = "".join(
            f"<BodyReportOfReceiptExport>{_el('BodyRecordUniqueReference', str(n))}"
            f"{_el('IndicatorOfShortageOrExcess', ln.shortage_or_excess)}"
            f"{_el('ObservedShortageOrExcess', ln.observed_difference)}"
            "</BodyReportOfReceiptExport>"
            for n, ln in enumerate(m.lines, start=1) if ln.shortage_or_excess)
        parts.append(
            f"<IE818><ExciseMovement>{_el('AdministrativeReferenceCode', m.arc)}"
            f"{_el('SequenceNumber', last)}</ExciseMovement>"
            f"<ReportOfReceiptExport>{_el('DateOfArrivalOfExciseProducts', m.received_at)}"
            f"{_el('GlobalConclusionOfReceipt', m.receipt_conclusion)}</ReportOfReceiptExport>"
            f"{body}</IE818>")
    if m.cancelled_at:
        parts.append(
            f"<IE810><Cancellation>{_el('AdministrativeReferenceCode', m.arc)}"
            f"{_el('DateAndTimeOfValidationOfCancellation', m.cancelled_at)}"
            f"{_el('CancellationReasonCode', '1')}</Cancellation></IE810>")
    return "".join(parts)


class EmcsXmlWriter:
    """Writes movements into `emcs/EMCS-00001.xml`, … rolling over every PER_FILE."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files = 0
        self.movements = 0
        self._fh = None
        self._in_file = 0

    def write(self, m: Movement) -> None:
        if self._fh is None or self._in_file >= PER_FILE:
            self._roll()
        assert self._fh is not None
        self._fh.write(movement_xml(m) + "\n")
        self._in_file += 1
        self.movements += 1

    def _roll(self) -> None:
        self._close_file()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.files += 1
        path = self.directory / f"EMCS-{self.files:05d}.xml"
        self._fh = path.open("w", encoding="utf-8", newline="\n")
        self._fh.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<EMCSMessages xmlns="{NAMESPACE}">\n')
        self._in_file = 0

    def _close_file(self) -> None:
        if self._fh is not None:
            self._fh.write("</EMCSMessages>\n")
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        self._close_file()

    def __enter__(self) -> EmcsXmlWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
