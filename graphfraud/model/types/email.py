"""E-mail address: lower case, `x@y.z`.

Lenient: stripped of `<>` and `mailto:`, case-folded; None unless it has the `x@y.z`
shape. Strict (a data-contract cell): the same, else FieldError.
"""

from __future__ import annotations

import re

from graphfraud.model.types.base import cell_text, normaliser_parser

PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize(value: object) -> str | None:
    """Lower-case, stripped e-mail address ('mailto:' removed), None unless 'x@y.z'."""
    text = cell_text(value)
    if text is None:
        return None
    text = text.strip("<>").casefold()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    return text if PATTERN.match(text) else None


parse = normaliser_parser(normalize, "an e-mail address")
