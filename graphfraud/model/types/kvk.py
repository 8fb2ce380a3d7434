"""KvK number (Dutch Chamber of Commerce): 8 digits.

Strict: exactly 8 digits, as the data contract's `kvk_number`. Lenient: 'KvK 1234 5678',
'KVK:12345678', '12.345.678', a spreadsheet float, and 7 digits (old numbers start with
0 and Excel drops it); a 12-digit branch number or fewer than 7 digits is not one.
"""

from __future__ import annotations

import re

from graphfraud.model.types.base import cell_text, pattern_parser

PATTERN = re.compile(r"^[0-9]{8}$")
WHAT = "KvK number (8 digits)"
#: a KvK number labelled inside free text ('Jansen BV, KvK 12345678')
IN_TEXT = re.compile(r"\bkvk(?:[\s-]*(?:nummer|nr))?\.?\s*[:#]?\s*(\d[\d .]{5,10}\d)", re.I)


parse = pattern_parser(PATTERN, WHAT, refusal="not a")


def normalize(value: object) -> str | None:
    """KvK number as 8 digits, or None."""
    text = cell_text(value)
    if text is None:
        return None
    text = re.sub(r"^\s*kvk(?:[\s-]*nummer|[\s-]*nr)?\.?\s*[:#]?\s*", "", text, flags=re.I)
    if not re.fullmatch(r"[\d\s.]+", text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) == 7:
        digits = "0" + digits
    return digits if len(digits) == 8 else None


def find_in_text(text: str) -> str | None:
    """A KvK number labelled inside `text`, normalised, or None."""
    found = IN_TEXT.search(text)
    return normalize(found.group(1)) if found else None
