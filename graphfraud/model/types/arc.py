"""ARC (administrative reference code of an e-AD): 21 characters.

Strict: the data contract's `[0-9]{2}[A-Z]{2}[A-Z0-9]{16}[0-9]`: year, member state, 16
characters, check digit (the EMCS XSD's `ArcType` only asks for 21 characters: this is
its structure). ARCs come from EMCS messages and registers, never typed by hand, so
there is no lenient form.
"""

from __future__ import annotations

import re

from graphfraud.model.types.base import pattern_parser

PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}[A-Z0-9]{16}[0-9]$")
WHAT = "ARC (21 characters, e.g. 23NL00000000000000123)"

parse = pattern_parser(PATTERN, WHAT)
