"""Vehicle plate: 2-12 letters and digits, upper case, no separators.

Lenient and strict alike ('vx-123-b' -> 'VX123B'): plates are written with dashes,
spaces and dots in every country, and no source writes them one way; the strict parse
refuses only what has no plate in it.
"""

from __future__ import annotations

import re

from graphfraud.model.types.base import cell_text, normaliser_parser, strip_accents


def normalize(value: object) -> str | None:
    """Vehicle plate without spaces, dashes or dots, upper case: ' vx-123-b ' -> 'VX123B'."""
    text = cell_text(value)
    if text is None:
        return None
    compact = re.sub(r"[^A-Z0-9]", "", strip_accents(text).upper())
    return compact if 2 <= len(compact) <= 12 else None


parse = normaliser_parser(normalize, "a vehicle plate")
