"""Code lists the messages refer to but do not carry: units and member-state time zones.

An e-AD line has no unit element: the unit follows from the excise product code, as the
EMCS excise-product list gives it (`graphfraud/data/emcs/excise-products.csv`; unit codes
1 kg, 2 litres at 15 °C, 3 litres at 20 °C, 4 thousand items). Times in the messages have
no zone: they are read as the local time of the member state of dispatch (the ARC's
letters 3-4), e.g. Europe/Amsterdam for NL, and stored in UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import graphfraud
from graphfraud.model.member_states import MEMBER_STATE_ZONES, zone_of

CODES_FILE = Path(graphfraud.__file__).resolve().parent / "data" / "emcs" / "excise-products.csv"


@lru_cache(maxsize=1)
def excise_products() -> dict[str, dict[str, str]]:
    with CODES_FILE.open(encoding="utf-8", newline="") as fh:
        return {r["epc"]: r for r in csv.DictReader(fh)}


def unit_for(epc: str) -> str:
    """The unit code of an excise product code; '' when the code is not in the list."""
    row = excise_products().get(epc.strip().upper())
    return row["unit"] if row else ""


def member_state(excise_or_vat: str) -> str:
    """The member state in the first two letters of an excise (or VAT) number, or ''."""
    prefix = excise_or_vat.strip()[:2].upper()
    return prefix if prefix in MEMBER_STATE_ZONES else ""


def zone_for(arc: str) -> ZoneInfo:
    return zone_of(arc)


def to_utc(date: str, time: str, arc: str) -> str:
    """'YYYY-MM-DDTHH:MM:SSZ' from a zone-less date (and time) in the dispatch state's
    local time; '' when there is no date. A date alone stays a date."""
    if not date:
        return ""
    if not time:
        return date
    local = dt.datetime.fromisoformat(f"{date}T{time}")
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone_for(arc))
    return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_datetime(value: str) -> tuple[str, str]:
    """('YYYY-MM-DD', 'HH:MM:SS') of an EMCS date-time; ('', '') when empty."""
    value = value.strip()
    if not value:
        return "", ""
    date, _, time = value.partition("T")
    return date, time[:8]
