"""Country: ISO 3166-1 alpha-2.

Strict: two letters, upper-cased (data contract `country`; the EMCS XSD's
`CountryCodeType` is `[a-zA-Z]{2}`). Lenient: also a few common spellings ('Nederland',
'BELGIË', 'NLD') and the EU excise prefix EL for Greece.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphfraud.model.types.base import cell_text, pattern_parser, strip_accents

PATTERN = re.compile(r"^[A-Z]{2}$")
WHAT = "ISO 3166-1 alpha-2 country code"

parse = pattern_parser(PATTERN, WHAT, upper=True)

ALIASES = {
    "NLD": "NL",
    "NEDERLAND": "NL",
    "NETHERLANDS": "NL",
    "THE NETHERLANDS": "NL",
    "HOLLAND": "NL",
    "BEL": "BE",
    "BELGIE": "BE",
    "BELGIUM": "BE",
    "DEU": "DE",
    "DUITSLAND": "DE",
    "GERMANY": "DE",
    "DEUTSCHLAND": "DE",
    "POL": "PL",
    "POLEN": "PL",
    "POLAND": "PL",
    "UK": "GB",
    "EL": "GR",  # EU VAT/excise prefix for Greece
}


@lru_cache(maxsize=4096)
def _country(text: str) -> str | None:
    key = strip_accents(text).upper().strip(" .")
    key = ALIASES.get(key, key)
    return key if PATTERN.fullmatch(key) else None


def normalize(value: object) -> str | None:
    """ISO 3166-1 alpha-2, upper case; a few common spellings are mapped, else None."""
    text = cell_text(value)
    return None if text is None else _country(text)
