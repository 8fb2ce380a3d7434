"""`neo4j-admin database import` CSV files from a collected graph (pure writing, no
server): one CSV per label and one per relationship type and pair of end labels, with
typed headers (`prop:long`, `prop:string[]`, …) and one ID space per label keyed on the
model key (`trader_id:ID(Trader)`), so `neo4j-admin database import full` builds the graph
the load statements would have built. Used by `graphfraud export-import-csv`
(`graphfraud.export.neo4j_admin`) and the Neo4j bulk load (`graphfraud.ingest.bulk_neo4j`).

The files are written column-wise: each property becomes one column list (a list
comprehension over the records), its type is taken from the set of Python types it holds,
its cells are formatted per type, and Polars writes the table. The per-cell Python
function calls of a row writer took 333 s at large (docs/scaling.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import polars as pl

from graphfraud.model.schema import node_type
from graphfraud.store.memory import CollectingStore

#: candidates for neo4j-admin's --array-delimiter, the first no list element contains
ARRAY_DELIMITERS = (";", "|", "\u001f")
_LISTS = (list, tuple)


# -- types -------------------------------------------------------------------------------
def _scalar_type_of(t: type) -> str:
    if issubclass(t, bool):
        return "boolean"
    if issubclass(t, int):
        return "long"
    if issubclass(t, float):
        return "double"
    return "string"


def _merge_types(a: str | None, b: str) -> str:
    if a is None or a == b:
        return b
    if {a, b} == {"long", "double"}:
        return "double"
    if a.endswith("[]") or b.endswith("[]"):
        return "string[]" if a.endswith("[]") and b.endswith("[]") else "string"
    return "string"


def _fold(kinds: Iterable[str]) -> str | None:
    merged: str | None = None
    for k in sorted(kinds):  # the merge is order-free; sorted keeps it plain to read
        merged = _merge_types(merged, k)
    return merged


def _list_type(element_types: frozenset[type]) -> str:
    return f"{_fold({_scalar_type_of(t) for t in element_types}) or 'string'}[]"


def _value_type(value: Any) -> str:
    """The neo4j-admin type of one value (a list: its elements' types folded), for
    writers that meet values one at a time (the streamed export, `store/spill.py`)."""
    if isinstance(value, _LISTS):
        return _list_type(frozenset(map(type, value)))
    return _scalar_type_of(type(value))


@dataclass(frozen=True)
class TypedColumn:
    """One property column: its neo4j-admin type, its values (None: no value), and the
    Python types seen (of the values; of the list values' elements), kept so the cells
    and the array delimiter are chosen without walking the values again."""

    kind: str
    values: list[Any]
    present: frozenset[type]
    element_types: frozenset[type]


def _kind_of_column(values: Sequence[Any]) -> TypedColumn | None:
    """The typed column (None: no record has a value). long+double widen to double; any
    other mix falls back to string, which the Cypher ingest would have kept mixed."""
    present = set(map(type, values))
    present.discard(type(None))
    kinds = {_scalar_type_of(t) for t in present if not issubclass(t, _LISTS)}
    elements: frozenset[type] = frozenset()
    if any(issubclass(t, _LISTS) for t in present):
        shapes = {frozenset(map(type, v)) for v in values if type(v) in _LISTS
                  or isinstance(v, _LISTS)}
        kinds.update(_list_type(s) for s in shapes)
        elements = frozenset().union(*shapes)
    kind = _fold(kinds)
    if kind is None:
        return None
    return TypedColumn(kind, values if isinstance(values, list) else list(values),
                       frozenset(present), elements)


def _columns(records: Sequence[Mapping[str, Any]], skip: Iterable[str] = ()
             ) -> dict[str, list[Any]]:
    """Property -> its values over `records` (None where a record has none), sorted."""
    skip = set(skip)
    keys = sorted(set().union(*records) - skip) if records else []
    return {k: [r.get(k) for r in records] for k in keys}


def _typed_columns(records: Sequence[Mapping[str, Any]], skip: Iterable[str] = ()
                   ) -> dict[str, TypedColumn]:
    out = {}
    for k, values in _columns(records, skip).items():
        col = _kind_of_column(values)
        if col is not None:
            out[k] = col
    return out


def column_types(records: Iterable[Mapping[str, Any]], skip: Iterable[str] = ()) -> dict[str, str]:
    """Property -> neo4j-admin type over all records (long+double widen to double; any
    other mix falls back to string, which the Cypher ingest would have kept mixed)."""
    return {k: col.kind for k, col in _typed_columns(list(records), skip).items()}


# -- cells -------------------------------------------------------------------------------
def _cell(value: Any, kind: str, delimiter: str) -> str | None:
    """The CSV text of one value; None for no value (an empty field: no property),
    so that an empty string can stay an empty string (a quoted `""`)."""
    if value is None:
        return None
    if kind.endswith("[]"):
        items = value if isinstance(value, _LISTS) else [value]
        return delimiter.join(_cell(v, kind[:-2], delimiter) or "" for v in items)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _cells(col: TypedColumn, delimiter: str) -> list[str | None]:
    """One column's CSV texts, with fast paths for the common shapes (all strings; lists
    of strings) and `_cell` for the rest."""
    kind, values, present = col.kind, col.values, col.present
    if kind == "string" and present <= {str}:
        return values
    if kind == "long" and present <= {int}:
        return [None if v is None else str(v) for v in values]
    if kind == "string[]" and present <= {list, tuple} and col.element_types <= {str}:
        join = delimiter.join
        return [None if v is None else join(v) for v in values]
    return [_cell(v, kind, delimiter) for v in values]


def _choose_delimiter(columns: Iterable[TypedColumn]) -> str:
    """The first candidate no list element's text contains. Lists of strings are joined
    into one text per column (a one-character delimiter cannot appear across a join)."""
    texts: list[str] = []
    for col in columns:
        if not col.kind.endswith("[]"):
            continue
        lists = [v for v in col.values if type(v) in _LISTS or isinstance(v, _LISTS)]
        if col.element_types <= {str}:
            texts.append("".join(chain.from_iterable(lists)))
            continue
        elements: set[Any] = set()
        for v in lists:
            try:
                elements.update(v)
            except TypeError:  # an unhashable element (a dict): its text
                elements.update(json.dumps(x, sort_keys=True, default=str) for x in v)
        texts.extend(e if type(e) is str else str(e) for e in elements)
    for d in ARRAY_DELIMITERS:
        if not any(d in e for e in texts):
            return d
    raise ValueError("every array delimiter candidate occurs inside a list value")


def _admin_delimiter(d: str) -> str:
    return d if d.isprintable() else f"U+{ord(d):04X}"


def _write(path: Path, header: list[str], columns: list[list[str | None]]) -> bool:
    """One import file (an absent value an empty field, an empty string a quoted `""`);
    True if a field holds a line break (neo4j-admin then needs --multiline-fields)."""
    frame = pl.DataFrame({f"c{i}": pl.Series(col, dtype=pl.String)
                          for i, col in enumerate(columns)})
    frame.columns = header
    frame.write_csv(path, quote_style="necessary", null_value="", line_terminator="\n")
    return bool(frame.select(pl.any_horizontal(
        pl.col(pl.String).str.contains("[\r\n]").any())).item()) if len(frame) else False


def write_import_csv(store: CollectingStore, out_dir: Path) -> dict[str, Any]:
    """Write the collected graph as neo4j-admin import CSVs; returns the file lists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.csv"):
        old.unlink()
    node_tables: list[tuple[str, str, list[str], dict[str, TypedColumn]]] = []
    for label, table in store.nodes.items():
        if not table:
            continue
        key = node_type(label).key
        keys = sorted(table)
        node_tables.append((label, key, keys, _typed_columns([table[k] for k in keys],
                                                            skip=(key,))))
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for r in store.rels.values():
        groups.setdefault((r.type, r.start_label, r.end_label), []).append(r)
    rel_tables = []
    for (rtype, s_label, e_label), rels in sorted(groups.items()):
        rels.sort(key=lambda r: (r.start, r.end))  # stable: ties keep the load's order
        rel_tables.append((rtype, s_label, e_label, rels,
                           _typed_columns([r.props for r in rels])))
    delimiter = _choose_delimiter(
        [c for t in node_tables for c in t[3].values()]
        + [c for t in rel_tables for c in t[4].values()])
    multiline = False
    node_files: dict[str, str] = {}
    for label, key, keys, cols in node_tables:
        path = out_dir / f"nodes_{label}.csv"
        header = [f"{key}:ID({label})"] + [f"{p}:{c.kind}" for p, c in cols.items()] + \
            [":LABEL"]
        body = [[str(k) for k in keys]] + [_cells(c, delimiter) for c in cols.values()]
        body.append([label] * len(keys))
        multiline = _write(path, header, body) or multiline
        node_files[label] = path.name
    rel_files: dict[str, str] = {}
    for rtype, s_label, e_label, rels, cols in rel_tables:
        path = out_dir / f"rels_{rtype}__{s_label}_{e_label}.csv"
        header = [f":START_ID({s_label})", f":END_ID({e_label})", ":TYPE"] + \
            [f"{p}:{c.kind}" for p, c in cols.items()]
        body = [[str(r.start) for r in rels], [str(r.end) for r in rels], [rtype] * len(rels)]
        body += [_cells(c, delimiter) for c in cols.values()]
        multiline = _write(path, header, body) or multiline
        rel_files[f"{rtype}:{s_label}->{e_label}"] = path.name
    args = [f"--nodes={name}" for name in node_files.values()]
    args += [f"--relationships={name}" for name in rel_files.values()]
    args += [f"--array-delimiter={_admin_delimiter(delimiter)}",
             f"--multiline-fields={'true' if multiline else 'false'}"]
    return {"node_files": node_files, "relationship_files": rel_files,
            "array_delimiter": delimiter, "multiline_fields": multiline, "admin_args": args}


def absolute_args(args: list[str], out_dir: Path) -> list[str]:
    """The admin arguments with file names made absolute (for an @args file)."""
    out = []
    for a in args:
        if a.startswith("--nodes="):
            out.append(f"--nodes={out_dir / a[len('--nodes='):]}")
        elif a.startswith("--relationships="):
            out.append(f"--relationships={out_dir / a[len('--relationships='):]}")
        else:
            out.append(a)
    return out
