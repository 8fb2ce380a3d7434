"""Operations shared by several loaders: addresses, phones, e-mails, vehicles."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from graphfraud.ingest import fields as f
from graphfraud.ingest.framework import Column, Op, link, node
from graphfraud.resolve import normalize as norm

ADDRESS_PROPS = ("street", "house_number", "postcode", "city", "country", "lat", "lon")
_STREET_NUMBER = re.compile(r"^(.*?)[\s,]+(\d+\s*[A-Za-z]?(?:[-/]\d+)?)$")


def address_ops(rec: dict[str, Any], prefix: str = "") -> tuple[str | None, list[Op]]:
    """The Address node for the `prefix`ed address columns of a row, and its key.

    Where only a street line is given (EMCS consignee addresses), the house number is
    split off its end.
    """
    get = lambda name: rec.get(f"{prefix}{name}")  # noqa: E731
    key, p = address_node(get("street"), get("house_number"), get("postcode"), get("city"),
                          get("country"), get("lat"), get("lon"))
    if key is None:
        return None, []
    return key, [node("Address", key, p)]


@lru_cache(maxsize=1 << 18)
def address_node(street: str | None, number: str | None, postcode: str | None,
                 city: str | None, country: str | None, lat: float | None,
                 lon: float | None) -> tuple[str | None, dict[str, Any]]:
    """(key, properties) of an address from its parsed cells; None when it has no key.
    Cached: one address recurs on many rows (a consignee's, a registered office), and
    normalising it was a third of the movements' operations. Do not change the dict."""
    if street and not number:
        m = _STREET_NUMBER.match(street)
        if m:
            street, number = m.group(1), m.group(2)
    country = country or "NL"
    key = norm.address_key(postcode, number, country, street)
    if key is None:
        return None, {}
    return key, {"street": street, "house_number": norm.normalize_house_number(number),
                 "postcode": norm.normalize_postcode(postcode, country),
                 "city": city, "country": country, "lat": lat, "lon": lon}


def address_columns(prefix: str = "", coordinates: bool = False) -> tuple[Column, ...]:
    """The contract's address columns, optionally prefixed (`consignee_`, `site_`, …)."""
    cols = [Column(f"{prefix}street", f.text), Column(f"{prefix}house_number", f.text),
            Column(f"{prefix}postcode", f.postcode_any), Column(f"{prefix}city", f.text),
            Column(f"{prefix}country", f.country)]
    if coordinates:
        cols += [Column(f"{prefix}lat", f.latitude), Column(f"{prefix}lon", f.longitude)]
    return tuple(cols)


def contact_ops(label: str, key: str, rec: dict[str, Any], address_rel: str) -> list[Op]:
    """A trader's or person's address, phones and e-mails, with their links."""
    ops: list[Op] = []
    addr_key, addr = address_ops(rec)
    ops += addr
    if addr_key:
        ops.append(link(address_rel, label, key, "Address", addr_key))
    for phone in rec["phone"]:
        ops += [node("Phone", phone), link("HAS_PHONE", label, key, "Phone", phone)]
    for mail in rec["email"]:
        ops += [node("Email", mail), link("HAS_EMAIL", label, key, "Email", mail)]
    return ops
