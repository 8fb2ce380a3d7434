"""How an address reads to a person: "street number, postcode city".

Investigators write addresses the way the street and the letters do, never as the graph
key `6211VR|2`. Both the graph labels (`graphfraud.explore.labels`) and the detectors'
finding titles and evidence use this one spelling; it lives in the model so every layer
above may use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def address_line(street: object = None, house_number: object = None, postcode: object = None,
                 city: object = None, address_key: object = None) -> str:
    """'Industrieweg 55A, 6211VR Maastricht' (the postcode as stored). Without a street,
    the key's postcode and number read 'number 55A, 6211VR Maastricht'; empty when
    nothing is known."""
    street_s, number_s = str(street or "").strip(), str(house_number or "").strip()
    pc = str(postcode or "").strip()
    key = str(address_key or "")
    if key.count("|") == 1 and not (street_s and number_s and pc):
        key_pc, key_number = key.split("|")
        pc = pc or key_pc
        number_s = number_s or key_number
    first = " ".join(p for p in (street_s, number_s) if p)
    if first and not street_s:
        first = f"number {first}"
    place = " ".join(p for p in (pc, str(city or "").strip()) if p)
    return ", ".join(p for p in (first, place) if p)


def address_line_of(row: Mapping[str, Any], prefix: str = "") -> str:
    """address_line() of a row's `prefix`ed street, house_number, postcode, city and
    address_key (a node's properties or a query row)."""
    return address_line(row.get(f"{prefix}street"), row.get(f"{prefix}house_number"),
                        row.get(f"{prefix}postcode"), row.get(f"{prefix}city"),
                        row.get(f"{prefix}address_key"))
