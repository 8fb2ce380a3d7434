"""Value types: one module per identifier, address part and code, each with its strict
parse (a data-contract cell, or FieldError) beside its lenient normalisation (any
spelling a source or a user writes, or None), FollowTheMoney style.

The strict patterns are those of the standard they come from (the EMCS phase 4 XSD
`types.xsd`, PostNL, the KvK), checked against it in `tests/model/test_types.py`; the
loaders (`graphfraud.ingest.fields`), the normalisers (`graphfraud.resolve.normalize`),
the generator and the search all read them here. One rule holds for every type: the
normalisation of a strictly valid value is that value (it never turns one valid value
into another).
"""

from graphfraud.model.types.base import (
    FieldError,
    cell_text,
    normaliser_parser,
    pattern_parser,
    strip_accents,
)

__all__ = ["FieldError", "cell_text", "normaliser_parser", "pattern_parser", "strip_accents"]
