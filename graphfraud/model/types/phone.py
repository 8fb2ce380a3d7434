"""Phone number: E.164 (`+31612345678`).

Lenient (matching, search): a valid number only, read in the default region when it has
no country prefix ('06-12345678', '0031 6 1234 5678'); an invalid one is dropped so it
cannot tie two tips together by noise. Strict (a data-contract cell): also a number that
is merely possible (outside today's allocated ranges: still an identifier worth
keeping), else FieldError.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from graphfraud.model.types.base import FieldError, cell_text

#: a Dutch number already in E.164: +31 and nine digits, the first not 0. Every such
#: number is possible (a Dutch national number has nine digits) and formats as itself,
#: valid or not, so `parse` gives it back without `phonenumbers` (tested against it)
_DUTCH_E164 = re.compile(r"\+31[1-9][0-9]{8}")


def normalize(value: object, default_region: str = "NL") -> str | None:
    """E.164 ('+31612345678') for a valid number, else None."""
    text = cell_text(value)
    if text is None:
        return None
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1 << 16)
def parse(value: str) -> str | None:
    """E.164 of a phone cell. Cached: parsing a number costs a tenth of a millisecond and
    one number recurs across rows and files (a tip line, a shared office)."""
    v = value.strip()
    if not v:
        return None
    if _DUTCH_E164.fullmatch(v):
        return v
    out = normalize(v)
    if out is None:
        try:
            parsed = phonenumbers.parse(v, "NL")
        except phonenumbers.NumberParseException:
            raise FieldError(f"not a phone number: {v!r}") from None
        if not phonenumbers.is_possible_number(parsed):
            raise FieldError(f"not a phone number: {v!r}")
        out = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return out
