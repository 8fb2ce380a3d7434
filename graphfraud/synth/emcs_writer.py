"""EMCS phase-4 XML view of movements: real messages, valid against the V3.13 XSDs.

Each movement becomes its IE801 e-AD and the follow-ups its story has: an IE813 per
change of destination, the IE818 report of receipt or the IE810 cancellation, an IE819
rejection by the first consignee before some changes of destination, and an IE871
explanation for some shortages. One message per file, as EMCS delivers them.

Follow-ups reach the authority days after the e-AD: for about one movement in four they
are written to a later delivery (`later/emcs/`), the rest beside the e-AD. The choice is
made from the ARC, so the world itself (and its CSV view) does not change.

Times: the generator's clock is Europe/Amsterdam; a message carries no zone, so times
are written in the local time of the member state of dispatch (the ARC's letters 3-4),
the rule the reader applies (`ingest.emcs.codes`).
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from graphfraud.model.member_states import zone_of
from graphfraud.model.types import excise, postcode
from graphfraud.synth.movements import Destination, Movement

VERSION = "V3.13"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LATER_DIR = Path("later") / "emcs"
_TMS = f"urn:publicid:-:EC:DGTAXUD:EMCS:PHASE4:TMS:{VERSION}"
_STREET = re.compile(r"^(.*?\S)\s(\d[^,]{0,10})$")
_ADDRESS_TEXT = re.compile(r"^(?P<street>.+?), (?P<postcode>\d{4} ?[A-Z]{2}|\d{4,5}) "
                           r"(?P<city>.+)$")
_POSTCODE = postcode.NL_WRITTEN
_EXCISE = excise.PATTERN


@dataclass(frozen=True, slots=True)
class Party:
    """Name and address of a trader as the register has them (for required elements)."""

    name: str
    street: str
    number: str
    postcode: str
    city: str


def _e(tag: str, value: str | None, **attrs: str) -> str:
    if value is None or value == "":
        return ""
    a = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<ie:{tag}{a}>{escape(value)}</ie:{tag}>"


def _g(tag: str, *inner: str, **attrs: str) -> str:
    body = "".join(inner)
    a = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<ie:{tag}{a}>{body}</ie:{tag}>" if body else ""


def _req(value: str) -> str:
    """A required element the generator has no value for gets EMCS's placeholder '-'."""
    return value or "-"


def split_street(line: str) -> tuple[str, str]:
    """'Industrieweg 4' -> ('Industrieweg', '4'); the reader joins them with one space."""
    m = _STREET.match(line)
    return (m.group(1), m.group(2)) if m else (line, "")


def local(when: dt.datetime, arc: str) -> dt.datetime:
    """Generator time (Europe/Amsterdam) as the dispatch member state's wall clock."""
    return when.replace(tzinfo=AMSTERDAM).astimezone(zone_of(arc)).replace(tzinfo=None)


def _stamp(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _trader(tag: str, trader_id: str, p: Party, id_tag: str = "Traderid") -> str:
    return _g(tag, _e(id_tag, trader_id), _e("TraderName", _req(p.name)),
              _e("StreetName", _req(p.street)), _e("StreetNumber", p.number),
              _e("Postcode", _req(p.postcode)), _e("City", _req(p.city)), language="nl")


def _consignee_party(d: Destination) -> Party:
    street, number = split_street(d.consignee_street)
    return Party(d.consignee_name, street, number, d.consignee_postcode, d.consignee_city)


def _delivery_place(d: Destination) -> str:
    text = d.delivery_place
    if not text:
        return ""
    if _EXCISE.match(text):
        return _g("DeliveryPlaceTrader", _e("Traderid", text), language="nl")
    if _POSTCODE.match(text):
        return _g("DeliveryPlaceTrader", _e("Postcode", text), language="nl")
    m = _ADDRESS_TEXT.match(text)
    if m:
        street, number = split_street(m.group("street"))
        return _g("DeliveryPlaceTrader", _e("StreetName", street), _e("StreetNumber", number),
                  _e("Postcode", m.group("postcode")), _e("City", m.group("city")),
                  language="nl")
    return _g("DeliveryPlaceTrader", _e("StreetName", text[:65]), language="nl")


def _country(d: Destination) -> str:
    cc = (d.consignee_excise_number[:2] if d.consignee_excise_number else "") or \
        d.consignee_country or "NL"
    return cc if re.fullmatch(r"[A-Z]{2}", cc) else "NL"


def _transport(plates: list[str]) -> str:
    return "".join(_g("TransportDetails", _e("TransportUnitCode", "2"),
                      _e("IdentityOfTransportUnits", p)) for p in plates)


def _decimal(value: float) -> str:
    return f"{max(value, 0.001):.3f}".rstrip("0").rstrip(".")


class Messages:
    """The messages of one movement, as (kind, file stem, xml, follow-up?)."""

    def __init__(self, m: Movement, parties: dict[str, Party]) -> None:
        self.m = m
        self.parties = parties
        self.ms = m.arc[2:4]
        self.seq = 0

    def _doc(self, kind: str, sender: str, recipient: str, prepared: dt.datetime,
             body: str) -> str:
        ns = f"urn:publicid:-:EC:DGTAXUD:EMCS:PHASE4:{kind}:{VERSION}"
        self.seq += 1
        header = (f"<ie:Header><tms:MessageSender>NDEA.{sender}</tms:MessageSender>"
                  f"<tms:MessageRecipient>NDEA.{recipient}</tms:MessageRecipient>"
                  f"<tms:DateOfPreparation>{prepared.date().isoformat()}</tms:DateOfPreparation>"
                  f"<tms:TimeOfPreparation>{prepared.time().isoformat('seconds')}"
                  "</tms:TimeOfPreparation>"
                  f"<tms:MessageIdentifier>GF-{self.m.arc}-{kind}-{self.seq:02d}"
                  "</tms:MessageIdentifier></ie:Header>")
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ie:{kind} xmlns:ie="{ns}" '
                f'xmlns:tms="{_TMS}">{header}<ie:Body>{body}</ie:Body></ie:{kind}>\n')

    def _t(self, when: dt.datetime) -> dt.datetime:
        return local(when, self.m.arc)

    def all(self) -> list[tuple[str, str, bool]]:
        m = self.m
        out: list[tuple[str, str, bool]] = []
        validated = m.dispatched_at - dt.timedelta(hours=1)
        if m.cancelled_dt is not None or m.cancelled_at:
            cancel = m.cancelled_dt or dt.datetime.fromisoformat(m.cancelled_at)
            validated = min(validated, cancel - dt.timedelta(hours=1))
        out.append(("IE801", self.ie801(validated), False))
        when = m.dispatched_at
        h = zlib.crc32(m.arc.encode())
        if len(m.destinations) > 1 and h % 3 != 2:
            out.append(("IE819", self.ie819(when + dt.timedelta(minutes=15)), True))
        for seq, d in enumerate(m.destinations[1:], start=2):
            when = m.dispatched_at + dt.timedelta(minutes=30 * (seq - 1))
            out.append(("IE813", self.ie813(seq, d, when), True))
        if m.receipt_conclusion:
            day = dt.datetime.fromisoformat(m.received_at)
            receipt = max(day.replace(hour=23, minute=30), when + dt.timedelta(minutes=30))
            out.append(("IE818", self.ie818(receipt), True))
            if any(ln.shortage_or_excess == "S" for ln in m.lines) and h % 2 == 0:
                out.append(("IE871", self.ie871(receipt + dt.timedelta(days=2)), True))
        if m.cancelled_at:
            cancel = m.cancelled_dt or dt.datetime.fromisoformat(m.cancelled_at)
            out.append(("IE810", self.ie810(cancel), True))
        return out

    def ie801(self, validated: dt.datetime) -> str:
        m, d0 = self.m, self.m.destinations[0]
        v = self._t(validated)
        sent = self._t(m.dispatched_at)
        consignor = self.parties.get(m.consignor_excise_number, Party("", "", "", "", ""))
        transporter = self.parties.get(m.transporter_vat, Party(m.transporter_name, "", "",
                                                                 "", ""))
        transporter = Party(m.transporter_name, transporter.street, transporter.number,
                            transporter.postcode, transporter.city)
        consignee = (_trader("ConsigneeTrader", d0.consignee_excise_number,
                             _consignee_party(d0))
                     if d0.consignee_name or d0.consignee_excise_number else "")
        bodies = []
        for n, ln in enumerate(m.lines, start=1):
            q = float(ln.quantity)
            net = q * 0.8 if ln.unit == "4" else q
            bodies.append(_g(
                "BodyEadEsad", _e("BodyRecordUniqueReference", str(n)),
                _e("ExciseProductCode", ln.epc), _e("CnCode", ln.cn_code),
                _e("Quantity", ln.quantity), _e("GrossMass", _decimal(net * 1.15)),
                _e("NetMass", _decimal(net)),
                _e("BrandNameOfProducts", ln.brand, language="nl"),
                _g("Package", _e("KindOfPackages", "CT"),
                   _e("NumberOfPackages", str(max(1, round(net / 10)))))))
        body = _g(
            "EADESADContainer", consignee,
            _g("ExciseMovement", _e("AdministrativeReferenceCode", m.arc),
               _e("DateAndTimeOfValidationOfEadEsad", _stamp(v))),
            _trader("ConsignorTrader", m.consignor_excise_number, consignor,
                    "TraderExciseNumber"),
            _g("PlaceOfDispatchTrader", _e("ReferenceOfTaxWarehouse", m.place_of_dispatch),
               language="nl"),
            _delivery_place(d0),
            _g("CompetentAuthorityDispatchOffice", _e("ReferenceNumber", f"{self.ms}000100")),
            _trader("FirstTransporterTrader", m.transporter_vat, transporter, "VatNumber")
            if m.transporter_name else "",
            _g("EadEsad", _e("LocalReferenceNumber", f"LRN{m.arc[-12:]}"),
               _e("InvoiceNumber", f"INV{m.arc[-10:]}"), _e("OriginTypeCode", m.origin_type),
               _e("DateOfDispatch", sent.date().isoformat()),
               _e("TimeOfDispatch", sent.time().isoformat("seconds"))),
            _g("HeaderEadEsad", _e("SequenceNumber", "1"),
               _e("DateAndTimeOfUpdateValidation", _stamp(v)),
               _e("DestinationTypeCode", d0.destination_type),
               _e("JourneyTime", d0.journey_time), _e("TransportArrangement", "1")),
            _g("TransportMode", _e("TransportModeCode", m.transport_mode)),
            _g("MovementGuarantee", _e("GuarantorTypeCode", m.guarantor_type)),
            *bodies, _transport(m.plates) or _g("TransportDetails",
                                                _e("TransportUnitCode", "2")))
        return self._doc("IE801", self.ms, _country(d0), v, body)

    def ie813(self, seq: int, d: Destination, when: dt.datetime) -> str:
        v = self._t(when)
        consignee = (_trader("NewConsigneeTrader", d.consignee_excise_number,
                             _consignee_party(d))
                     if d.consignee_name or d.consignee_excise_number else "")
        body = _g(
            "ChangeOfDestination",
            _g("Attributes", _e("DateAndTimeOfValidationOfChangeOfDestination", _stamp(v))),
            _g("UpdateEadEsad", _e("AdministrativeReferenceCode", self.m.arc),
               _e("JourneyTime", d.journey_time), _e("SequenceNumber", str(seq))),
            _g("DestinationChanged", _e("DestinationTypeCode", d.destination_type), consignee,
               _delivery_place(d)))
        return self._doc("IE813", self.ms, _country(d), v, body)

    def _last(self) -> Destination:
        return self.m.destinations[-1]

    def ie818(self, when: dt.datetime) -> str:
        m, d = self.m, self._last()
        v = self._t(when)
        lines = "".join(
            _g("BodyReportOfReceiptExport", _e("BodyRecordUniqueReference", str(n)),
               _e("IndicatorOfShortageOrExcess", ln.shortage_or_excess),
               _e("ObservedShortageOrExcess", ln.observed_difference),
               _e("ExciseProductCode", ln.epc))
            for n, ln in enumerate(m.lines, start=1) if ln.shortage_or_excess)
        body = _g(
            "AcceptedOrRejectedReportOfReceiptExport",
            _g("Attributes", _e("DateAndTimeOfValidationOfReportOfReceiptExport", _stamp(v))),
            _trader("ConsigneeTrader", d.consignee_excise_number, _consignee_party(d)),
            _g("ExciseMovement", _e("AdministrativeReferenceCode", m.arc),
               _e("SequenceNumber", str(len(m.destinations)))),
            _g("ReportOfReceiptExport", _e("DateOfArrivalOfExciseProducts", m.received_at),
               _e("GlobalConclusionOfReceipt", m.receipt_conclusion)),
            lines)
        return self._doc("IE818", _country(d), self.ms, v, body)

    def ie810(self, when: dt.datetime) -> str:
        v = self._t(when)
        body = _g("CancellationOfEAD",
                  _g("Attributes", _e("DateAndTimeOfValidationOfCancellation", _stamp(v))),
                  _g("ExciseMovementEad", _e("AdministrativeReferenceCode", self.m.arc)),
                  _g("Cancellation", _e("CancellationReasonCode", "1")))
        return self._doc("IE810", self.ms, self.ms, v, body)

    def ie819(self, when: dt.datetime) -> str:
        """The first consignee rejects the e-AD (before the consignor redirects it)."""
        d = self.m.destinations[0]
        v = self._t(when)
        cc = _country(d)
        body = _g(
            "AlertOrRejectionOfEADESAD",
            _g("Attributes", _e("DateAndTimeOfValidationOfAlertRejection", _stamp(v))),
            _trader("ConsigneeTrader", d.consignee_excise_number, _consignee_party(d))
            if d.consignee_name or d.consignee_excise_number else "",
            _g("ExciseMovement", _e("AdministrativeReferenceCode", self.m.arc),
               _e("SequenceNumber", "1")),
            _g("DestinationOffice", _e("ReferenceNumber", f"{cc}000100")),
            _g("AlertOrRejection", _e("DateOfAlertOrRejection", v.date().isoformat()),
               _e("EadEsadRejectedFlag", "1")),
            _g("AlertOrRejectionOfEadEsadReason",
               _e("AlertOrRejectionOfMovementReasonCode", "1"),
               _e("ComplementaryInformation", "Niet besteld", language="nl")))
        return self._doc("IE819", cc, self.ms, v, body)

    def ie871(self, when: dt.datetime) -> str:
        """The consignee explains the shortage its report of receipt gave."""
        m, d = self.m, self._last()
        v = self._t(when)
        lines = "".join(
            _g("BodyAnalysis", _e("ExciseProductCode", ln.epc),
               _e("BodyRecordUniqueReference", str(n)),
               _e("Explanation", "Dozen beschadigd bij overslag", language="nl"))
            for n, ln in enumerate(m.lines, start=1) if ln.shortage_or_excess == "S")
        body = _g(
            "ExplanationOnReasonForShortage",
            _g("Attributes", _e("SubmitterType", "2"),
               _e("DateAndTimeOfValidationOfExplanationOnShortage", _stamp(v))),
            _g("ExciseMovement", _e("AdministrativeReferenceCode", m.arc),
               _e("SequenceNumber", str(len(m.destinations)))),
            _g("Analysis", _e("DateOfAnalysis", v.date().isoformat()),
               _e("GlobalExplanation", "Breuk tijdens transport", language="nl")),
            lines)
        return self._doc("IE871", _country(d), self.ms, v, body)


def goes_later(arc: str) -> bool:
    """Whether a movement's follow-ups arrive in the later delivery (one in four)."""
    return zlib.crc32(arc.encode()) % 4 == 1


def movement_messages(m: Movement, parties: dict[str, Party] | None = None,
                      ) -> list[tuple[str, str, bool]]:
    """(kind, XML document, follow-up?) for every message of one movement."""
    return Messages(m, parties or {}).all()


class EmcsXmlWriter:
    """Writes each movement's messages as files under `directory` (`emcs/`), follow-ups
    of some movements under `later` (`later/emcs/`, a delivery of its own)."""

    def __init__(self, directory: Path, later: Path | None = None,
                 parties: dict[str, Party] | None = None) -> None:
        self.directory = directory
        self.later = later if later is not None else directory.parent / LATER_DIR
        self.parties = parties or {}
        self.files = 0
        self.later_files = 0
        self.movements = 0
        self.kinds: dict[str, int] = {}

    def write(self, m: Movement) -> None:
        later = goes_later(m.arc)
        for n, (kind, xml, follow_up) in enumerate(movement_messages(m, self.parties),
                                                    start=1):
            folder = self.later if follow_up and later else self.directory
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{m.arc}-{n:02d}-{kind}.xml").write_text(xml, encoding="utf-8")
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            if folder is self.later:
                self.later_files += 1
            else:
                self.files += 1
        self.movements += 1

    def close(self) -> None:
        """Nothing buffered: every message is written when its movement is."""

    def __enter__(self) -> EmcsXmlWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
