"""Excise number (SEED): two capital letters (the member state) and 11 characters.

Strict: `ExciseNumberType` of the EMCS phase 4 XSD, `[A-Z]{2}[a-zA-Z0-9]{11}`: the 11
characters may be lower case, and case is part of the value. Lenient: what sources and
users write (`nl 000 1234 5678`, `EXC:NL00012345678`): the prefix and separators go, the
member-state letters are upper-cased, the 11 characters keep their case (so a valid
number normalises to itself, never to another valid number).
"""

from __future__ import annotations

import re

from graphfraud.model.types.base import cell_text, pattern_parser

#: EMCS `ExciseNumberType` (types.xsd)
PATTERN = re.compile(r"^[A-Z]{2}[A-Za-z0-9]{11}$")
WHAT = "excise number ([A-Z]{2} + 11 characters)"
#: an excise-number shape inside free text (a tip, a stated supplier), any case
IN_TEXT = re.compile(r"\b[A-Z]{2}[A-Z0-9]{11}\b", re.IGNORECASE)

parse = pattern_parser(PATTERN, WHAT)


def normalize(value: object) -> str | None:
    """The excise number in `value`, or None.

    'nl 000 1234 5678', 'EXC:NL00012345678' -> 'NL00012345678'.
    """
    text = cell_text(value)
    if text is None:
        return None
    if text[:4].upper() == "EXC:":
        text = text[4:]
    if any(ch.isdigit() for ch in text):
        # Separators only inside something that has digits: 'NL 0001 2345 678' is a number,
        # 'Tabak Hoesstra' (13 letters without its space) is a name.
        text = re.sub(r"[\s\-.]", "", text)
    text = text[:2].upper() + text[2:]
    return text if PATTERN.match(text) else None


def find_in_text(text: str) -> str | None:
    """The first excise number written inside `text`, normalised, or None."""
    found = IN_TEXT.search(text)
    return normalize(found.group(0)) if found else None
