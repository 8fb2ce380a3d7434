"""`neo4j-admin database import` CSV files from a collected graph (pure writing, no
server): one CSV per label and one per relationship type and pair of end labels, with
typed headers (`prop:long`, `prop:string[]`, …) and one ID space per label keyed on the
model key (`trader_id:ID(Trader)`), so `neo4j-admin database import full` builds the graph
the load statements would have built. Used by `graphfraud export-import-csv`
(`graphfraud.export.neo4j_admin`) and the Neo4j bulk load (`graphfraud.ingest.bulk_neo4j`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graphfraud.model.schema import node_type
from graphfraud.store.memory import CollectedRel, CollectingStore

#: candidates for neo4j-admin's --array-delimiter, the first no list element contains
ARRAY_DELIMITERS = (";", "|", "\u001f")


# -- typed CSV ---------------------------------------------------------------------------
def _scalar_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
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


def _value_type(value: Any) -> str:
    if isinstance(value, list | tuple):
        inner: str | None = None
        for v in value:
            inner = _merge_types(inner, _scalar_type(v))
        return f"{inner or 'string'}[]"
    return _scalar_type(value)


def column_types(records: Iterable[Mapping[str, Any]], skip: Iterable[str] = ()) -> dict[str, str]:
    """Property -> neo4j-admin type over all records (long+double widen to double; any
    other mix falls back to string, which the Cypher ingest would have kept mixed)."""
    skip = set(skip)
    types: dict[str, str] = {}
    for rec in records:
        for k, v in rec.items():
            if k in skip or v is None:
                continue
            types[k] = _merge_types(types.get(k), _value_type(v))
    return dict(sorted(types.items()))


def _cell(value: Any, kind: str, delimiter: str) -> str | None:
    """The CSV text of one value; None for no value (an empty field: no property),
    so that an empty string can stay an empty string (a quoted `""`)."""
    if value is None:
        return None
    if kind.endswith("[]"):
        items = value if isinstance(value, list | tuple) else [value]
        return delimiter.join(_cell(v, kind[:-2], delimiter) or "" for v in items)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class _Writer:
    """CSV lines as neo4j-admin reads them: an absent value is an empty field, an empty
    string a quoted `""` (csv.writer writes both alike, and the import drops the field)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    @staticmethod
    def _field(cell: str | None) -> str:
        if cell is None:
            return ""
        if cell == "" or any(ch in cell for ch in ',"\r\n'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    def writerow(self, cells: list[str | None]) -> None:
        self.fh.write(",".join(self._field(c) for c in cells) + "\n")


def _breaks(cells: list[str | None]) -> bool:
    return any(c is not None and ("\n" in c or "\r" in c) for c in cells)


def _choose_delimiter(store: CollectingStore) -> str:
    elements: set[str] = set()
    for table in store.nodes.values():
        for props in table.values():
            for v in props.values():
                if isinstance(v, list | tuple):
                    elements.update(str(x) for x in v)
    for r in store.rels.values():
        for v in r.props.values():
            if isinstance(v, list | tuple):
                elements.update(str(x) for x in v)
    for d in ARRAY_DELIMITERS:
        if not any(d in e for e in elements):
            return d
    raise ValueError("every array delimiter candidate occurs inside a list value")


def _admin_delimiter(d: str) -> str:
    return d if d.isprintable() else f"U+{ord(d):04X}"


def write_import_csv(store: CollectingStore, out_dir: Path) -> dict[str, Any]:
    """Write the collected graph as neo4j-admin import CSVs; returns the file lists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.csv"):
        old.unlink()
    delimiter = _choose_delimiter(store)
    multiline = False
    node_files: dict[str, str] = {}
    for label, table in store.nodes.items():
        if not table:
            continue
        key = node_type(label).key
        types = column_types(table.values(), skip=(key,))
        path = out_dir / f"nodes_{label}.csv"
        header = [f"{key}:ID({label})"] + [f"{p}:{t}" for p, t in types.items()] + [":LABEL"]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = _Writer(fh)
            w.writerow(header)
            for k in sorted(table):
                props = table[k]
                cells = [str(k)] + [_cell(props.get(p), t, delimiter) for p, t in types.items()]
                multiline = multiline or _breaks(cells)
                w.writerow([*cells, label])
        node_files[label] = path.name
    groups: dict[tuple[str, str, str], list[CollectedRel]] = {}
    for r in store.rels.values():
        groups.setdefault((r.type, r.start_label, r.end_label), []).append(r)
    rel_files: dict[str, str] = {}
    for (rtype, s_label, e_label), rels in sorted(groups.items()):
        types = column_types(r.props for r in rels)
        path = out_dir / f"rels_{rtype}__{s_label}_{e_label}.csv"
        header = [f":START_ID({s_label})", f":END_ID({e_label})", ":TYPE"] + \
            [f"{p}:{t}" for p, t in types.items()]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = _Writer(fh)
            w.writerow(header)
            for r in sorted(rels, key=lambda r: (r.start, r.end, json.dumps(r.props,
                                                                            sort_keys=True,
                                                                            default=str))):
                cells = [str(r.start), str(r.end), rtype] + \
                    [_cell(r.props.get(p), t, delimiter) for p, t in types.items()]
                multiline = multiline or _breaks(cells)
                w.writerow(cells)
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
