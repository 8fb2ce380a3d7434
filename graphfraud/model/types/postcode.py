"""Postcode: Dutch (PostNL) in full, other countries only compacted.

Strict (data contract): a Dutch postcode is 4 digits, the first 1-9, and 2 letters,
never SA, SD or SS (PostNL never issues them), written `1234 AB` with the space optional,
stored `1234AB`; a postcode of unknown country is taken in the Dutch form when it looks
Dutch, else upper-cased as it is. Lenient: spaces, dashes, dots and an `NL-` prefix go;
a foreign postcode is kept compact (`D-10115` -> `D10115`) since foreign formats are not
checked.
"""

from __future__ import annotations

import re

from graphfraud.model.types import country as _country
from graphfraud.model.types.base import cell_text, normaliser_parser

#: the Dutch form as sources write it (space optional, any case)
NL_WRITTEN = re.compile(r"^[1-9][0-9]{3}\s?[A-Za-z]{2}$")
#: the Dutch key form
NL_KEY = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})$")
#: letter pairs PostNL never issues (wartime connotations)
NL_BANNED_LETTERS = frozenset({"SA", "SD", "SS"})
_SEPARATORS = re.compile(r"[\s\-.]")


def normalize(value: object, country: str | None = "NL") -> str | None:
    """Postcode without spaces, upper case; for NL validated, else None.

    >>> normalize("1234 ab")
    '1234AB'
    """
    text = cell_text(value)
    if text is None:
        return None
    compact = _SEPARATORS.sub("", text).upper()
    cc = _country.normalize(country) or "NL"
    if cc != "NL":
        return compact if compact.isalnum() else None
    if compact.startswith("NL") and len(compact) == 8:  # "NL-1234AB" style prefixes
        compact = compact[2:]
    match = NL_KEY.match(compact)
    if not match or match.group(2) in NL_BANNED_LETTERS:
        return None
    return compact


#: a Dutch postcode cell in its key form, None if empty, else FieldError
parse_nl = normaliser_parser(lambda v: normalize(v, "NL"), "a Dutch postcode (1234 AB)")


def parse_any(value: str) -> str | None:
    """Postcode of an address whose country is unknown here: NL form if it looks Dutch."""
    v = value.strip()
    if not v:
        return None
    if NL_WRITTEN.fullmatch(v):
        return parse_nl(v)
    return v.upper()
