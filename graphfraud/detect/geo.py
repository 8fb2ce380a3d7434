"""Distances and dates, the two measures several signals need."""

from __future__ import annotations

import datetime as dt
import math
import re

from graphfraud.resolve.normalize import address_key


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (the geodesic to within 0.5%, enough for a speed check)."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def parse_instant(text: str | None) -> dt.datetime | None:
    """An ISO date or date-time as a UTC datetime (a date is taken at 00:00)."""
    if not text:
        return None
    if len(text) == 10:
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def months_between(earlier: str | None, later: str | None) -> float | None:
    a, b = parse_instant(earlier), parse_instant(later)
    if a is None or b is None:
        return None
    return (b - a).days / 30.4375


_NL_PLACE = re.compile(r"(?P<number>\d+\s*[A-Za-z]?(?:-\d+)?)\s*,\s*(?P<postcode>\d{4}\s?[A-Za-z]{2})\b")


def address_key_from_text(text: str | None) -> str | None:
    """The NL address key of a one-line address 'Street 12a, 1234 AB City', else None.

    EMCS gives the delivery place of an e-AD without a known consignee (type 8) as text
    only; this reads the house number before the comma and the postcode after it.

    >>> address_key_from_text("Mozartlaan 166, 3325 NA Dordrecht")
    '3325NA|166'
    """
    m = _NL_PLACE.search(text or "")
    return address_key(m["postcode"], m["number"]) if m else None


def declared_hours(code: str | None) -> float | None:
    """The hours of an EMCS journey time: `H05` is 5 hours, `D02` is 2 days (48 hours).

    >>> declared_hours("H05"), declared_hours("D02"), declared_hours("")
    (5.0, 48.0, None)
    """
    if not code or len(code) < 2 or code[0] not in "HD" or not code[1:].isdigit():
        return None
    return float(code[1:]) * (24 if code[0] == "D" else 1)
