"""Read FalkorDB's compact result format straight into plain Python values.

The falkordb client turns every cell into Python through a chain of per-type calls; on a
detection read of 65,000 movements × 22 columns that took 21 s of the 32 s the query
cost (the server itself needs 6 s). Scalars, lists and maps — all the signal queries and
most library queries return — are decoded here in one tight function instead. A result
that holds nodes, relationships, paths or temporal values is handed back to the client's
own parser (`QueryResult`), which knows the graph's label and property-key tables.
"""

from __future__ import annotations

from typing import Any

from redis.exceptions import ResponseError

# FalkorDB's compact value types (ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6
_MAP, _POINT = 10, 11


class NeedsClientParser(Exception):
    """A cell this decoder leaves to the client (graph entities, temporal, vectors)."""


def decode_cell(cell: list[Any]) -> Any:
    """One compact `[type, value]` cell as a plain value."""
    kind, value = cell[0], cell[1]
    if kind == _STRING or kind == _INTEGER:
        return value
    if kind == _NULL:
        return None
    if kind == _DOUBLE:
        return float(value)
    if kind == _BOOLEAN:
        return value == "true" or value == b"true"
    if kind == _ARRAY:
        return [decode_cell(c) for c in value]
    if kind == _MAP:
        return {value[i]: decode_cell(value[i + 1]) for i in range(0, len(value), 2)}
    if kind == _POINT:
        return {"latitude": float(value[0]), "longitude": float(value[1])}
    raise NeedsClientParser(kind)


def check_errors(response: list[Any]) -> None:
    """Raise the server's error the way the client does (first or last element)."""
    if response and isinstance(response[0], ResponseError):
        raise response[0]
    if response and isinstance(response[-1], ResponseError):
        raise response[-1]


def decode_result(response: list[Any]) -> tuple[list[str], list[list[Any]]] | None:
    """(column names, rows) of a compact response, or None when the client must parse it.

    A response of one element is statistics only (a statement without RETURN)."""
    check_errors(response)
    if len(response) < 3:
        return [], []
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in response[0]]
    try:
        rows = [[decode_cell(c) for c in row] for row in response[1]]
    except NeedsClientParser:
        return None
    return columns, rows


def decode_column(cells: list[list[Any]]) -> list[Any]:
    """One column of compact cells as plain values: strings, integers and nulls (most
    of a detection read) are taken as they are, without a call per cell."""
    kinds = {c[0] for c in cells}
    if kinds <= {_STRING, _INTEGER}:
        return [c[1] for c in cells]
    if kinds <= {_STRING, _INTEGER, _NULL}:
        return [None if c[0] == _NULL else c[1] for c in cells]
    if kinds <= {_DOUBLE, _NULL}:
        return [None if c[0] == _NULL else float(c[1]) for c in cells]
    return [decode_cell(c) for c in cells]


def decode_columns(response: list[Any]) -> tuple[list[str], list[list[Any]]] | None:
    """(column names, one list per column) of a compact response, or None when the
    client must parse it (graph entities, temporal values)."""
    check_errors(response)
    if len(response) < 3:
        return [], []
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in response[0]]
    rows = response[1]
    try:
        return columns, [decode_column([row[j] for row in rows]) for j in range(len(columns))]
    except NeedsClientParser:
        return None


#: the scalar kinds `decode_typed` reads from the plain (verbose) reply
TYPED_KINDS = ("string", "int", "float", "bool")


def _float(text: Any) -> Any:
    """A double the reply gave as text; a value that is not one (a text property where
    a number was expected) is kept as it came."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return text


def _typed(values: list[Any], kind: str) -> list[Any]:
    """One column of a plain reply as `kind`: the reply gives integers and nulls typed,
    floats and booleans as text (as the compact reply does, in the same digits)."""
    if kind == "float":
        return [v if v is None or isinstance(v, int) else _float(v) for v in values]
    if kind == "bool":
        return [v if v is None or isinstance(v, int) else v in ("true", b"true")
                for v in values]
    return values


def decode_typed(response: list[Any], types: dict[str, str],
                 ) -> tuple[list[str], list[list[Any]]] | None:
    """(column names, one list per column) of a plain GRAPH.RO_QUERY reply whose columns
    are all scalars of known kinds (`types`: column -> string | int | float | bool): no
    [type, value] pair per cell, a third of the objects of the compact reply. None when
    a column's kind is not given (the caller asks again in the compact format)."""
    check_errors(response)
    if len(response) < 3:
        return [], []
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in response[0]]
    if any(types.get(c) not in TYPED_KINDS for c in columns):
        return None
    rows = response[1]
    return columns, [_typed([row[j] for row in rows], types[c]) for j, c in enumerate(columns)]
