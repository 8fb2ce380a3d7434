"""What every value type shares: the error a bad cell raises, a strict pattern parser,
and the text helpers the lenient side starts from."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable


class FieldError(ValueError):
    """A cell that does not fit its column."""


def pattern_parser(regex: re.Pattern[str], what: str, upper: bool = False,
                   refusal: str = "not a valid") -> Callable[[str], str | None]:
    """A strict parser: the stripped cell (upper case if `upper`) when `regex` matches
    all of it, None for an empty cell, else FieldError '<refusal> <what>: <cell>'."""
    def parse(value: str) -> str | None:
        v = value.strip()
        if upper:
            v = v.upper()
        if not v:
            return None
        if not regex.fullmatch(v):
            raise FieldError(f"{refusal} {what}: {value.strip()!r}")
        return v
    # read by graphfraud.ingest.columnar, which checks a whole column at once
    parse.spec = ("pattern", regex.pattern, upper)  # type: ignore[attr-defined]
    return parse


def cell_text(value: object) -> str | None:
    """Text of a cell, or None for an empty one (spreadsheets hand us ints and floats too)."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN from pandas
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


# Letters that Unicode does not decompose into base letter + accent.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH"}
)  # fmt: skip


def strip_accents(text: str) -> str:
    """'Café Müller' -> 'Cafe Muller': sources disagree on diacritics more than on letters."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))




def normaliser_parser(normalize: Callable[[str], str | None],
                      what: str) -> Callable[[str], str | None]:
    """A strict parser from a lenient normaliser: its key form of the stripped cell, None
    for an empty cell, else FieldError 'not <what>: <cell>' (the normaliser said None)."""
    def parse(value: str) -> str | None:
        v = value.strip()
        if not v:
            return None
        out = normalize(v)
        if out is None:
            raise FieldError(f"not {what}: {v!r}")
        return out
    return parse
