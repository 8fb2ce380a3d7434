"""Signal inputs as Arrow tables: one typed column per RETURN column, hashed canonically.

Arrow (pyarrow) rather than Polars: it is a dependency already (no new wheel for an
offline install), its tables are the exchange format Polars, DuckDB and the Neo4j and
FalkorDB clients all read without a copy, and what detection needs from it here is typed
columns, sorting and a stable byte encoding, which pyarrow has in C++.

The hash is over the data, not over how a store returned it: whole floats count as
integers (the embedded engine gives 1.0 where Neo4j gives 1), a list's order (a
`collect()`'s) and the rows' order among equal keys are left out, and columns are taken
by name. So the same graph gives the same hash on both stores.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

Columns = tuple[list[str], list[list[Any]]]


def _canon(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        items = [_canon(v) for v in value]
        try:
            return sorted(items)
        except TypeError:  # mixed kinds: by their text
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in sorted(value.items())}
    return value


def _canon_column(values: Sequence[Any]) -> list[Any]:
    """Whole floats as ints, lists sorted; a column of plain ints and strs is copied."""
    if all(v is None or type(v) in (str, int, bool) for v in values):
        return list(values)
    return [_canon(v) for v in values]


def _array(values: list[Any]) -> pa.Array:
    """A typed Arrow array; a column of mixed kinds (never in a signal query) as JSON text."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([None if v is None else json.dumps(v, sort_keys=True, default=str)
                         for v in values], pa.string())


def _whole(values: pa.Array) -> bool | None:
    """True if every non-null float is finite and whole (`float.is_integer`), False if
    one is not; None if they are whole but one is too large for int64 (left to Python)."""
    got = values.drop_null()
    if not len(got):
        return True
    if not (pc.all(pc.is_finite(got)).as_py() and pc.all(pc.equal(pc.floor(got), got)).as_py()):
        return False
    return True if pc.max(pc.abs(got)).as_py() < 2.0 ** 62 else None


def canonical_array(values: Sequence[Any]) -> pa.Array:
    """`_array(_canon_column(values))` without a call per value: one conversion to
    Arrow, then whole floats as int64 (column-wise) and each list sorted, for the plain
    kinds a signal query returns (text, numbers, booleans, lists of text or numbers
    without nulls); any other column value by value."""
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return _array(_canon_column(values))
    kind = array.type
    if pa.types.is_floating(kind):
        whole = _whole(array)
        if whole is None:
            return _array(_canon_column(values))
        return array.cast(pa.int64()) if whole else array
    if pa.types.is_list(kind):
        items = array.flatten()
        if items.null_count or not (pa.types.is_string(items.type)
                                    or pa.types.is_integer(items.type)
                                    or pa.types.is_floating(items.type)):
            return _array(_canon_column(values))
        if pa.types.is_floating(items.type) and _whole(items) is not False:
            return _array(_canon_column(values))  # rare: whole floats in lists, as ints
        return pa.array([sorted(v) if v is not None and len(v) > 1 else v for v in values],
                        array.type)
    if pa.types.is_string(kind) or pa.types.is_integer(kind) or pa.types.is_boolean(kind) \
            or pa.types.is_null(kind):
        return array
    return _array(_canon_column(values))


def to_frame(names: Sequence[str], values: Sequence[Sequence[Any]]) -> pa.Table:
    """The canonical table of one query's columns: columns by name, canonical values."""
    order = sorted(range(len(names)), key=lambda i: names[i])
    return pa.table({names[i]: canonical_array(values[i]) for i in order})


def to_frame_by_rows(names: Sequence[str], values: Sequence[Sequence[Any]]) -> pa.Table:
    """`to_frame` value by value (the reference `canonical_array` is tested against)."""
    order = sorted(range(len(names)), key=lambda i: names[i])
    return pa.table({names[i]: _array(_canon_column(values[i])) for i in order})


def rows_to_columns(rows: Iterable[Mapping[str, Any]]) -> Columns:
    """Columns of a list of row dicts (inputs built by hand, in tests); every key any row
    has, a missing one as null."""
    rows = list(rows)
    names: list[str] = []
    seen: set[str] = set()
    for r in rows:
        for k in r:
            if k not in seen:
                seen.add(k)
                names.append(k)
    return names, [[r.get(k) for r in rows] for k in names]


def columns_to_rows(names: Sequence[str], values: Sequence[Sequence[Any]],
                    ) -> list[dict[str, Any]]:
    """The detectors' row dicts, in the query's column order (one zip, no call per cell)."""
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


#: the columns `signal_movement_lines` adds to `signal_movements`, and their value for an
#: e-AD without lines (what the aggregates over an empty OPTIONAL MATCH give)
LINE_COLUMNS = {"epcs": list, "brands": list, "quantity": int, "short_lines": int}


def join_lines(movements: Columns, lines: Columns) -> Columns:
    """`signal_movements` with its e-ADs' line aggregates (`signal_movement_lines`) as the
    last columns, by ARC: one table with the columns the detectors read."""
    names, values = movements
    line_names, line_values = lines
    at = {arc: i for i, arc in enumerate(line_values[line_names.index("arc")])} \
        if line_names else {}
    rows = [at.get(arc) for arc in values[names.index("arc")]] if names else []
    out_names, out_values = list(names), list(values)
    for col, empty in LINE_COLUMNS.items():
        got = line_values[line_names.index(col)] if line_names else []
        out_names.append(col)
        out_values.append([empty() if i is None else got[i] for i in rows])
    return out_names, out_values


def lines_by_arc(lines: Columns) -> Columns:
    """`signal_movement_lines` from its lines one per row (arc, epc, brand, quantity,
    shortage): per ARC the distinct product codes and brands (nulls left out, as
    `collect(DISTINCT ...)`), the summed quantity and how many lines were short. A sum
    is given in 15 significant digits, as FalkorDB writes a double: the same on both
    stores and as the engine's own aggregation gave it."""
    names, values = lines
    out: dict[Any, list[Any]] = {}
    if names:
        col = {n: values[names.index(n)] for n in ("arc", "epc", "brand", "quantity",
                                                   "shortage")}
        for arc, epc, brand, quantity, shortage in zip(
                col["arc"], col["epc"], col["brand"], col["quantity"], col["shortage"],
                strict=True):
            got = out.get(arc)
            if got is None:
                got = out[arc] = [[], [], 0, 0]
            if epc is not None and epc not in got[0]:
                got[0].append(epc)
            if brand is not None and brand not in got[1]:
                got[1].append(brand)
            if quantity is not None:
                got[2] += quantity
            got[3] += shortage == "S"
    arcs = list(out)
    for got in out.values():
        if isinstance(got[2], float):  # in the 15 digits the embedded engine's sum() gave
            got[2] = float(f"{got[2]:.15g}")
    return (["arc", *LINE_COLUMNS], [arcs, *([out[a][i] for a in arcs] for i in range(4))])


def with_plates(movements: Columns, plates: Columns) -> Columns:
    """`signal_movements` with `plates`, each e-AD's distinct vehicles (one row per e-AD
    and plate in `plates`), [] for an e-AD without."""
    names, values = movements
    if not names:
        return movements
    by_arc: dict[Any, list[Any]] = {}
    if plates[0]:
        got = plates[1]
        for arc, plate in zip(got[plates[0].index("arc")], got[plates[0].index("plate")],
                              strict=True):
            by_arc.setdefault(arc, []).append(plate)
    arcs = values[names.index("arc")]
    return [*names, "plates"], [*values, [list(by_arc.get(a, ())) for a in arcs]]


def _order(table: pa.Table) -> pa.Array | None:
    """Row indices in a canonical order: by every column that sorts (scalars), then the
    lists as text, so ties a query's ORDER BY leaves open do not change the hash."""
    if table.num_rows < 2:
        return None
    keys = [n for n, f in zip(table.column_names, table.schema, strict=True)
            if not (pa.types.is_nested(f.type) or pa.types.is_null(f.type))]
    nested = [n for n, f in zip(table.column_names, table.schema, strict=True)
              if pa.types.is_nested(f.type)]
    if nested and keys and table.group_by(keys).aggregate([]).num_rows == table.num_rows:
        nested = []  # the scalars alone order every row
    by = table.select(keys)
    if nested:  # a tie on the scalars is broken by the lists, as JSON text
        text = [json.dumps(v, default=str) for v in
                zip(*(table.column(n).to_pylist() for n in nested), strict=True)]
        by = by.append_column("\x00nested", pa.array(text, pa.string()))
    if not by.num_columns:
        return None
    return pc.sort_indices(by, sort_keys=[(n, "ascending") for n in by.column_names])


def _column_ipc(name: str, column: pa.Array) -> pa.Buffer:
    """One column as an Arrow IPC stream (a buffer, hashed without a copy to bytes)."""
    batch = pa.record_batch([column], names=[name])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue()


def frames_hash(frames: Mapping[str, pa.Table], order: Sequence[str]) -> str:
    """sha256 over the frames of `order`'s queries, column by column in canonical row
    order: the data the findings came from. One column is copied at a time (sorting the
    whole table first held a second copy of the inputs)."""
    h = hashlib.sha256()
    for q in order:
        h.update(q.encode() + b"\n")
        frame = frames.get(q)
        if frame is None:
            continue
        rows = _order(frame)
        h.update(str(frame.num_rows).encode() + b"\n")
        for name in frame.column_names:
            column = frame.column(name)
            if rows is not None:
                column = column.take(rows)
            h.update(memoryview(_column_ipc(name, column.combine_chunks())))
    return h.hexdigest()


# -- a column read in parts (the e-ADs): each part's Python values dropped once converted
Part = pa.Array | list[Any]


def part_array(values: Sequence[Any]) -> Part:
    """The per-value work of `canonical_array` on one part of a column (each list
    sorted), its kind left as Arrow infers it for the part; the values themselves
    (kept) where the column must go value by value (`canonical_parts` then does)."""
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return list(values)
    kind = array.type
    if pa.types.is_list(kind):
        items = array.flatten()
        if pa.types.is_null(items.type) and not items.null_count:
            return array  # empty lists only
        if items.null_count or not (pa.types.is_string(items.type)
                                    or pa.types.is_integer(items.type)):
            return list(values)
        return pa.array([sorted(v) if v is not None and len(v) > 1 else v for v in values],
                        kind)
    if pa.types.is_floating(kind) or pa.types.is_string(kind) or pa.types.is_integer(kind) \
            or pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return array
    return list(values)


def _common_type(parts: Sequence[pa.Array]) -> pa.DataType | None:
    """The kind `pa.array` gives the parts' values taken together, if the parts' kinds
    say it (nulls and empty lists take the others' kind, ints among floats are floats);
    None where only the values can."""
    kinds = {p.type for p in parts if not pa.types.is_null(p.type)}
    if len(kinds) > 1:
        kinds = {k for k in kinds if not (pa.types.is_list(k)
                                          and pa.types.is_null(k.value_type))}
    if kinds == {pa.int64(), pa.float64()}:
        big = [pc.max(pc.abs(p)).as_py() for p in parts if p.type == pa.int64()
               and len(p.drop_null())]
        return pa.float64() if all(b < 2 ** 53 for b in big) else None
    if len(kinds) > 1:
        return None
    return kinds.pop() if kinds else pa.null()


def canonical_parts(parts: Sequence[Part]) -> pa.Array:
    """`canonical_array` of the parts' values one after the other, from `part_array`'s
    parts: concatenated in Arrow, whole floats as int64 decided over the whole column."""
    kind = None if any(isinstance(p, list) for p in parts) else _common_type(parts)  # type: ignore[arg-type]
    if kind is None:
        return canonical_array([v for p in parts
                                for v in (p if isinstance(p, list) else p.to_pylist())])
    if not parts:
        return canonical_array([])
    array = pa.concat_arrays([p if p.type == kind else p.cast(kind)  # type: ignore[union-attr]
                              for p in parts])
    if pa.types.is_floating(kind):
        whole = _whole(array)
        if whole is None:
            return canonical_array(array.to_pylist())
        return array.cast(pa.int64()) if whole else array
    return array


def parts_to_frame(names: Sequence[str], parts: list[list[Part | None]],
                   sort_by: str | None = None) -> pa.Table:
    """`to_frame` of a read in parts (`parts[i][j]`: part i's column `names[j]`, from
    `part_array`), its rows stably sorted by `sort_by` (nulls last) if given. Made a
    column at a time; `parts` is consumed (each part's array let go once its column is
    made), so the read is held about once, not twice."""
    order = sorted(range(len(names)), key=lambda i: names[i])
    columns: dict[str, pa.Array] = {}
    for j in order:
        got = [p[j] for p in parts]
        for p in parts:
            p[j] = None
        columns[names[j]] = canonical_parts(got)  # type: ignore[arg-type]
        del got
    if sort_by is None or not columns or len(columns[sort_by]) < 2:
        return pa.table(columns)
    rows = pc.sort_indices(pa.table({"k": columns[sort_by]}),
                           sort_keys=[("k", "ascending", "at_end")])
    for name in list(columns):
        columns[name] = columns[name].take(rows)
    return pa.table(columns)
