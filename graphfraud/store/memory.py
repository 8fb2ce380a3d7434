"""`neo4j-admin database import` files from a dataset directory: the bulk path for an
initial national load.

The rows go through the very pipeline `graphfraud ingest` runs (`ingest.run.ingest_directory`:
the same loaders, validation, quarantine, reference checks, batching and entity
resolution), but into `CollectingStore`, a store that applies the load statements'
semantics in memory instead of sending them to a database:

- `upsert_<label>`: MERGE by the model key, then `SET n += props` (later rows win), and
  the provenance lists `sources`, `deliveries`, `legal_bases` grow without repeats;
- `link_<type>__<start>_<end>`: both ends must exist (else no relationship, like the
  statement's MATCH); MERGE on start, end and the type's key properties; a single-valued
  type drops the start's other relationship of that type first.

The collected graph is then written as one CSV per label and one per relationship type
and pair of end labels, with typed headers (`prop:long`, `prop:string[]`, …) and one ID
space per label keyed on the model key (`trader_id:ID(Trader)`), so
`neo4j-admin database import full` builds the graph `ingest` would have built. Apply the
schema afterwards (start the server and run `graphfraud schema`): the import makes no
constraints.

The whole graph is held in memory while it is collected (about 1 KiB per node; the large
synthetic world, ~3.5M nodes, needs a few GiB).
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphfraud.model.schema import NODE_TYPES, REL_TYPES, node_type, rel_type
from graphfraud.store.base import GraphStore, QueryResult, StoreError

PROVENANCE_LISTS = {"source": "sources", "delivery": "deliveries",
                    "legal_basis": "legal_bases"}
#: candidates for neo4j-admin's --array-delimiter, the first no list element contains
ARRAY_DELIMITERS = (";", "|", "\u001f")


@dataclass
class CollectedRel:
    type: str
    start_label: str
    start: str
    end_label: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


def _add_provenance(props: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for param, prop in PROVENANCE_LISTS.items():
        value = extra.get(param)
        if value is None:
            continue
        current = props.get(prop) or []
        if value not in current:
            props[prop] = [*current, value]


class CollectingStore(GraphStore):
    """A GraphStore that keeps the graph in memory, applying the generated load
    statements' semantics (see the module docstring). It answers only the queries the
    ingest pipeline asks: reference seeding (an empty graph), entity resolution's
    `er_traders` and `er_mentions`, `er_clear_automatic_links`, and the per-delivery
    count the ingest keeps on Delivery nodes."""

    dialect = "neo4j"
    kind = "collect"

    def __init__(self) -> None:
        #: label -> key -> properties (the key property included)
        self.nodes: dict[str, dict[str, dict[str, Any]]] = {nt.label: {} for nt in NODE_TYPES}
        #: (type, start label, start, end label, end, key values) -> relationship
        self.rels: dict[tuple, CollectedRel] = {}
        #: (type, start label, start) -> identities, for single-valued replacement
        self._single: dict[tuple[str, str, str], tuple] = {}
        self._link_meta: dict[str, tuple[str, str, str]] = {}
        for rt in REL_TYPES:
            for s in rt.starts:
                for e in rt.ends:
                    self._link_meta[f"link_{rt.type.lower()}__{s.lower()}_{e.lower()}"] = (
                        rt.type, s, e)
        self._upsert_label = {f"upsert_{nt.label.lower()}": nt.label for nt in NODE_TYPES}

    # -- writes ---------------------------------------------------------------------------
    def upsert(self, name: str, rows: Iterable[Mapping[str, Any]], batch_size: int = 5000,
               extra: Mapping[str, Any] | None = None) -> int:
        extra = extra or {}
        n = 0
        if name in self._upsert_label:
            label = self._upsert_label[name]
            key_prop = node_type(label).key
            table = self.nodes[label]
            for row in rows:
                props = table.get(row["key"])
                if props is None:
                    props = table[row["key"]] = {key_prop: row["key"]}
                props.update(row.get("props") or {})
                _add_provenance(props, extra)
                n += 1
            return n
        if name not in self._link_meta:
            raise StoreError(f"CollectingStore cannot run {name!r}: only node upserts and "
                             "links are collected")
        rtype, s_label, e_label = self._link_meta[name]
        rt = rel_type(rtype)
        starts, ends = self.nodes[s_label], self.nodes[e_label]
        for row in rows:
            if row["start"] not in starts or row["end"] not in ends:
                continue  # the statement's MATCH finds no node: nothing is made
            keyvals = tuple(row.get(k) for k in rt.key)
            ident = (rtype, s_label, row["start"], e_label, row["end"], keyvals)
            if rt.single:
                slot = (rtype, s_label, row["start"])
                old = self._single.get(slot)
                if old is not None and (old[3], old[4]) != (e_label, row["end"]):
                    self.rels.pop(old, None)
                self._single[slot] = ident
            rel = self.rels.get(ident)
            if rel is None:
                rel = self.rels[ident] = CollectedRel(rtype, s_label, row["start"], e_label,
                                                      row["end"],
                                                      {k: v for k, v in zip(rt.key, keyvals,
                                                                            strict=True)
                                                       if v is not None})
            rel.props.update(row.get("props") or {})
            _add_provenance(rel.props, extra)
            n += 1
        return n

    def upsert_many(self, items: Iterable[tuple[str, Iterable[Mapping[str, Any]]]],
                    extra: Mapping[str, Any] | None = None) -> int:
        """Each `(name, rows)` collected in order, as `upsert` does it."""
        return sum(self.upsert(name, rows, extra=extra) for name, rows in items)

    def run(self, name: str, params: Mapping[str, Any] | None = None,
            timeout_s: float | None = None) -> list[dict[str, Any]]:
        if name == "er_clear_automatic_links":
            gone = [k for k, r in self.rels.items() if r.type == "SAME_AS"
                    and r.props.get("status") in ("linked", "candidate")]
            for k in gone:
                del self.rels[k]
            return [{"removed": len(gone)}]
        return list(self.stream(name, params))

    def stream(self, name: str, params: Mapping[str, Any] | None = None,
               ) -> Iterator[dict[str, Any]]:
        if name in ("known_traders", "known_persons", "known_premises", "known_machines",
                    "emcs_events_by_arc", "emcs_movement_base"):
            return iter(())  # the import is always into an empty database
        if name == "er_traders":
            return iter(self._er_traders())
        if name == "er_mentions":
            return iter(self._er_mentions())
        if name == "explorer_nodes_per_delivery":
            return iter(self._nodes_per_delivery())
        raise StoreError(f"CollectingStore cannot answer {name!r}")

    def _nodes_per_delivery(self) -> list[dict[str, Any]]:
        """What `explorer_nodes_per_delivery` answers (the ingest counts each delivery)."""
        counts: dict[tuple[str, str], int] = {}
        for label, table in self.nodes.items():
            for props in table.values():
                for d in props.get("deliveries") or []:
                    counts[(d, label)] = counts.get((d, label), 0) + 1
        return [{"delivery": d, "label": label, "nodes": n}
                for (d, label), n in sorted(counts.items())]

    def _er_traders(self) -> list[dict[str, Any]]:
        address_of = {r.start: r.end for r in self.rels.values()
                      if r.type == "REGISTERED_AT" and r.start_label == "Trader"}
        out = []
        for tid in sorted(self.nodes["Trader"]):
            t = self.nodes["Trader"][tid]
            a = self.nodes["Address"].get(address_of.get(tid, ""), {})
            out.append({"trader_id": tid, "name": t.get("name"),
                        "kvk_number": t.get("kvk_number"),
                        "excise_number": t.get("excise_number"),
                        "postcode": a.get("postcode"), "house_number": a.get("house_number"),
                        "city": a.get("city"), "street": a.get("street"),
                        "country": a.get("country")})
        return out

    def _er_mentions(self) -> list[dict[str, Any]]:
        rejected: dict[str, list[str]] = {}
        for r in self.rels.values():
            if r.type == "SAME_AS" and r.props.get("status") == "rejected":
                rejected.setdefault(r.start, []).append(r.end)
        out = []
        for mid in sorted(self.nodes["NameMention"]):
            m = self.nodes["NameMention"][mid]
            out.append({"mention_id": mid, "text": m.get("text"), "source": m.get("source"),
                        "field": m.get("field"), "source_row": m.get("source_row"),
                        "postcode": m.get("addr_postcode"), "city": m.get("addr_city"),
                        "street": m.get("addr_street"),
                        "house_number": m.get("addr_house_number"),
                        "rejected": rejected.get(mid, [])})
        return out

    # -- the rest of the seam: nothing to do in memory -----------------------------------
    def _read(self, text, params, timeout_s, row_cap=None) -> QueryResult:
        raise StoreError("CollectingStore runs no Cypher")

    def _write(self, text, params, timeout_s) -> QueryResult:
        raise StoreError("CollectingStore runs no Cypher")

    def _stream(self, text, params) -> Iterator[dict[str, Any]]:
        raise StoreError("CollectingStore runs no Cypher")

    def apply_schema(self) -> None:
        pass

    def schema_snapshot(self) -> list[tuple[str, ...]]:
        return []

    def health(self) -> dict[str, Any]:
        return {"ok": True, "backend": "collect"}

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def close(self) -> None:
        pass

    def counts(self) -> dict[str, dict[str, int]]:
        labels = {label: len(t) for label, t in self.nodes.items() if t}
        types: dict[str, int] = {}
        for r in self.rels.values():
            types[r.type] = types.get(r.type, 0) + 1
        return {"nodes": dict(sorted(labels.items())), "relationships": dict(sorted(types.items()))}


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


def _cell(value: Any, kind: str, delimiter: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        items = value if isinstance(value, list | tuple) else [value]
        return delimiter.join(_cell(v, kind[:-2], delimiter) for v in items)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


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
            w = csv.writer(fh)
            w.writerow(header)
            for k in sorted(table):
                props = table[k]
                cells = [str(k)] + [_cell(props.get(p), t, delimiter) for p, t in types.items()]
                multiline = multiline or any("\n" in c or "\r" in c for c in cells)
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
            w = csv.writer(fh)
            w.writerow(header)
            for r in sorted(rels, key=lambda r: (r.start, r.end, json.dumps(r.props,
                                                                            sort_keys=True,
                                                                            default=str))):
                cells = [str(r.start), str(r.end), rtype] + \
                    [_cell(r.props.get(p), t, delimiter) for p, t in types.items()]
                multiline = multiline or any("\n" in c or "\r" in c for c in cells)
                w.writerow(cells)
        rel_files[f"{rtype}:{s_label}->{e_label}"] = path.name
    args = [f"--nodes={name}" for name in node_files.values()]
    args += [f"--relationships={name}" for name in rel_files.values()]
    args += [f"--array-delimiter={_admin_delimiter(delimiter)}",
             f"--multiline-fields={'true' if multiline else 'false'}"]
    return {"node_files": node_files, "relationship_files": rel_files,
            "array_delimiter": delimiter, "multiline_fields": multiline, "admin_args": args}


def export_import_csv(dataset_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Write `neo4j-admin database import` CSVs for the dataset in `dataset_dir` into
    `out_dir`; the graph is the one `graphfraud ingest` makes of the same files.

    Returns a summary: node and relationship counts per label/type, the files written,
    the arguments to pass to `neo4j-admin database import full` (run it with `out_dir`
    as the working directory, or prefix the file names), and the seconds spent parsing
    (the ingest pipeline) and writing. Also writes `out_dir/import.args`, one argument a
    line, usable as `neo4j-admin database import full @import.args neo4j`.
    """
    from graphfraud.ingest.run import ingest_directory

    dataset_dir, out_dir = Path(dataset_dir).resolve(), Path(out_dir).resolve()
    began = time.perf_counter()
    store = CollectingStore()
    report = ingest_directory(store, dataset_dir, restart=True, batch_size=5000)
    parsed = time.perf_counter()
    files = write_import_csv(store, out_dir)
    written = time.perf_counter()
    counts = store.counts()
    (out_dir / "import.args").write_text(
        "\n".join(_absolute(files["admin_args"], out_dir)) + "\n", encoding="utf-8")
    return {
        "dataset": str(dataset_dir),
        "out_dir": str(out_dir),
        **counts,
        "node_total": sum(counts["nodes"].values()),
        "relationship_total": sum(counts["relationships"].values()),
        "quarantined": sum(f.quarantined for f in report.files),
        "resolution": report.resolution,
        **files,
        "parse_seconds": round(parsed - began, 3),
        "write_seconds": round(written - parsed, 3),
    }


def _absolute(args: list[str], out_dir: Path) -> list[str]:
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


def copy_dataset(src: Path, dst: Path) -> Path:
    """A clean copy of a dataset directory (without a previous run's `.graphfraud/`)."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".graphfraud"))
    return dst
