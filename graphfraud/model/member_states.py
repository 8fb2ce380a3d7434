"""EU member states as EMCS codes them (excise-number prefixes, ARC letters 3-4) and the
time zone of each, for reading EMCS times, which carry no zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

MEMBER_STATE_ZONES = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "EL": "Europe/Athens",
    "GR": "Europe/Athens", "ES": "Europe/Madrid", "FI": "Europe/Helsinki",
    "FR": "Europe/Paris", "HR": "Europe/Zagreb", "HU": "Europe/Budapest",
    "IE": "Europe/Dublin", "IT": "Europe/Rome", "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest", "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana",
    "SK": "Europe/Bratislava", "XI": "Europe/London", "GB": "Europe/London",
}
DEFAULT_ZONE = "Europe/Amsterdam"


def zone_of(arc_or_code: str) -> ZoneInfo:
    """The zone of a member state code, or of an ARC's dispatch state (letters 3-4)."""
    code = arc_or_code[2:4] if len(arc_or_code) > 2 else arc_or_code
    return ZoneInfo(MEMBER_STATE_ZONES.get(code.upper(), DEFAULT_ZONE))
