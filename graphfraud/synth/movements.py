"""EMCS movements: one e-AD with its lines, destination changes, receipt or cancellation.

A `Movement` is the generator's single source of truth; `movement_rows` gives its
movements.csv view and `graphfraud.synth.emcs_writer` its XML view, so both agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graphfraud.synth.model import Row

RECEIPT_STATUS = {"1": "delivered", "2": "delivered", "3": "refused", "4": "partially_refused",
                  "21": "delivered", "22": "delivered", "23": "refused"}


@dataclass(slots=True)
class Line:
    epc: str
    cn_code: str
    brand: str
    quantity: str
    unit: str
    shortage_or_excess: str = ""
    observed_difference: str = ""


@dataclass(slots=True)
class Destination:
    """Where the e-AD sends the goods; a change of destination (IE813) adds one."""

    destination_type: str
    journey_time: str
    consignee_excise_number: str = ""
    consignee_name: str = ""
    consignee_street: str = ""
    consignee_postcode: str = ""
    consignee_city: str = ""
    consignee_country: str = ""
    delivery_place: str = ""
    # truth for entity resolution when consignee_name is not the registered name:
    # (trader_id or None when the name is nobody in traders.csv)
    name_truth: tuple[str | None] | None = None


@dataclass(slots=True)
class Movement:
    arc: str
    consignor_excise_number: str
    place_of_dispatch: str
    origin_type: str
    dispatched_at: dt.datetime
    transporter_name: str
    transporter_vat: str
    plates: list[str]
    guarantor_type: str
    lines: list[Line]
    destinations: list[Destination]
    transport_mode: str = "3"
    received_at: str = ""
    receipt_conclusion: str = ""
    cancelled_at: str = ""
    cancelled_dt: dt.datetime | None = field(default=None, repr=False)

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return "cancelled"
        if self.receipt_conclusion:
            return RECEIPT_STATUS[self.receipt_conclusion]
        return "accepted"

    @property
    def sort_key(self) -> tuple[dt.datetime, str]:
        return (self.dispatched_at, self.arc)


def movement_rows(m: Movement) -> list[tuple[Row, tuple[str | None] | None]]:
    """The movements.csv rows of one movement with the consignee-name truth of each.

    Earlier sequences are kept as rows with status `replaced`; the receipt belongs to
    the last sequence, and every row carries the ARC's number of destination changes.
    """
    out: list[tuple[Row, tuple[str | None] | None]] = []
    last = len(m.destinations)
    changes = str(last - 1)
    dispatched = m.dispatched_at.isoformat(timespec="seconds")
    plates = ";".join(m.plates)
    for seq, d in enumerate(m.destinations, start=1):
        final = seq == last
        for n, ln in enumerate(m.lines, start=1):
            row = {
                "arc": m.arc, "sequence": str(seq), "line": str(n),
                "consignor_excise_number": m.consignor_excise_number,
                "place_of_dispatch": m.place_of_dispatch,
                "consignee_excise_number": d.consignee_excise_number,
                "consignee_name": d.consignee_name, "consignee_street": d.consignee_street,
                "consignee_postcode": d.consignee_postcode, "consignee_city": d.consignee_city,
                "consignee_country": d.consignee_country, "delivery_place": d.delivery_place,
                "destination_type": d.destination_type, "origin_type": m.origin_type,
                "epc": ln.epc, "cn_code": ln.cn_code, "brand": ln.brand,
                "quantity": ln.quantity, "unit": ln.unit, "dispatched_at": dispatched,
                "journey_time": d.journey_time, "transport_mode": m.transport_mode,
                "transporter_name": m.transporter_name, "transporter_vat": m.transporter_vat,
                "vehicle_plate": plates, "guarantor_type": m.guarantor_type,
                "status": m.status if final else "replaced",
                "received_at": m.received_at if final else "",
                "receipt_conclusion": m.receipt_conclusion if final else "",
                "shortage_or_excess": ln.shortage_or_excess if final else "",
                "observed_difference": ln.observed_difference if final else "",
                "cancelled_at": m.cancelled_at if final else "",
                "destination_changes": changes,
            }
            out.append((row, d.name_truth))
    return out
