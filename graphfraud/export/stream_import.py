"""`neo4j-admin database import` files for a dataset too large to collect in memory.

The dataset goes through the ordinary pipeline into a `SpillingStore`
(`graphfraud.store.spill`): the register stays in memory for entity resolution, the
movements, their lines and events and every relationship touching them go to Parquet per
batch. The held part is written by `write_import_csv` itself; the spilled part is merged
per partition with the same semantics and appended to the same kind of typed CSV files,
so `neo4j-admin database import full` builds the graph `export-import-csv` (collected)
would have built, with the client's memory flat in the number of movement lines.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import polars as pl

from graphfraud.model.schema import node_type
from graphfraud.store.base import StoreError
from graphfraud.store.neo4j_import import (
    ARRAY_DELIMITERS,
    _admin_delimiter,
    absolute_args,
    write_import_csv,
)
from graphfraud.store.spill import SpillingStore


def _header_line(cells: list[str]) -> str:
    return ",".join(cells) + "\n"


def _text_columns(frame: pl.DataFrame, types: dict[str, str], delimiter: str,
                  widened: frozenset[str] = frozenset()) -> list[pl.Expr]:
    out = []
    for prop, kind in types.items():
        if prop not in frame.columns:
            out.append(pl.lit(None, dtype=pl.String).alias(prop))
        elif kind.endswith("[]"):
            out.append(pl.col(prop).list.join(delimiter).alias(prop))
        elif kind == "double" and prop in widened:
            out.append(pl.col(prop).map_elements(_as_double, return_dtype=pl.String)
                       .alias(prop))
        else:
            out.append(pl.col(prop).cast(pl.String).alias(prop))
    return out


def _as_double(text: str) -> str:
    """A long's text in a column widened to double, as the collected export writes it."""
    return repr(float(int(text))) if text.lstrip("-").isdigit() else text


def _multiline(frame: pl.DataFrame) -> bool:
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text or frame.height == 0:
        return False
    hit = frame.select(pl.any_horizontal(pl.col(c).str.contains("[\r\n]").fill_null(False)
                                         for c in text).any())
    return bool(hit.item())


def _append(fh: Any, frame: pl.DataFrame) -> None:
    if frame.height:
        frame.write_csv(fh, include_header=False, null_value="", quote_style="necessary")


def write_spilled_csv(store: SpillingStore, out_dir: Path, delimiter: str,
                      ) -> dict[str, Any]:
    """The spilled labels' and relationships' CSV files next to the held ones."""
    if delimiter in store.bad_delimiters:
        raise StoreError(f"streamed export: the array delimiter {delimiter!r} chosen for "
                         "the held graph occurs inside a spilled list value")
    store.flush()
    multiline = False
    node_files: dict[str, str] = {}
    nodes: dict[str, int] = {}
    for label in sorted(store.spill_labels):
        name = f"nodes_{label}"
        if name not in store.spilled_tables():
            continue
        table = store.table(name)
        key = node_type(label).key
        types = {p: store.column_type(table, "", p) for p in store.props_of(table)
                 if p != key}
        widened = store.widened(table, "")
        path = out_dir / f"{name}.csv"
        count = 0
        with open(path, "w", newline="", encoding="utf-8") as fh:
            fh.write(_header_line([f"{key}:ID({label})"]
                                  + [f"{p}:{t}" for p, t in types.items()] + [":LABEL"]))
            for merged in store.merged_nodes(label):
                text = merged.select(pl.col("_key").alias(key),
                                     *_text_columns(merged, types, delimiter, widened),
                                     pl.lit(label).alias(":LABEL"))
                multiline = multiline or _multiline(text)
                _append(fh, text)
                fh.flush()
                count += text.height
        if count:
            node_files[label] = path.name
            nodes[label] = count
        else:
            path.unlink()
    rel_files: dict[str, str] = {}
    rels: dict[str, int] = {}
    for name in store.spilled_tables():
        if not name.startswith("rels_"):
            continue
        table = store.table(name)
        rtype, start = name[len("rels_"):].split("__", 1)
        ends = sorted(table.end_labels)
        types = {e: {p: store.column_type(table, e, p) for p in store.props_of(table, e)}
                 for e in ends}
        paths = {e: out_dir / f"rels_{rtype}__{start}_{e}.csv" for e in ends}
        counts = dict.fromkeys(ends, 0)
        handles = {e: open(paths[e], "w", newline="", encoding="utf-8")  # noqa: SIM115
                   for e in ends}
        try:
            for e in ends:
                handles[e].write(_header_line(
                    [f":START_ID({start})", f":END_ID({e})", ":TYPE"]
                    + [f"{p}:{t}" for p, t in types[e].items()]))
            for merged in store.merged_links(name):
                for e in ends:
                    part = merged.filter(pl.col("_end_label") == e)
                    text = part.select(pl.col("_start").alias("s"), pl.col("_end").alias("e"),
                                       pl.lit(rtype).alias("t"),
                                       *_text_columns(part, types[e], delimiter,
                                                      store.widened(table, e)))
                    multiline = multiline or _multiline(text)
                    _append(handles[e], text)
                    counts[e] += text.height
        finally:
            for fh in handles.values():
                fh.close()
        for e in ends:
            if counts[e]:
                rel_files[f"{rtype}:{start}->{e}"] = paths[e].name
                rels[rtype] = rels.get(rtype, 0) + counts[e]
            else:
                paths[e].unlink()
    return {"node_files": node_files, "relationship_files": rel_files, "nodes": nodes,
            "relationships": rels, "multiline_fields": multiline}


def _delimiter(store: SpillingStore, held: dict[str, Any]) -> str:
    """The held graph's delimiter if the spilled lists allow it (the usual case)."""
    if held["array_delimiter"] not in store.bad_delimiters:
        return held["array_delimiter"]
    raise StoreError("streamed export: every array delimiter candidate "
                     f"{ARRAY_DELIMITERS!r} occurs inside a list value")


def export_import_csv_streamed(dataset_dir: Path, out_dir: Path,
                               spill_dir: Path | None = None, partitions: int = 64,
                               flush_rows: int = 50_000, batch_size: int = 5000,
                               progress: Any = None) -> dict[str, Any]:
    """What `graphfraud.export.neo4j_admin.export_import_csv` returns, for the same
    files, with the movements spilled to `spill_dir` (default `out_dir/.spill`, removed
    at the end) instead of held in memory."""
    from graphfraud.ingest.run import ingest_directory

    dataset_dir, out_dir = Path(dataset_dir).resolve(), Path(out_dir).resolve()
    spill_dir = Path(spill_dir).resolve() if spill_dir else out_dir / ".spill"
    began = time.perf_counter()
    store = SpillingStore(spill_dir, partitions=partitions, flush_rows=flush_rows)
    try:
        report = ingest_directory(store, dataset_dir, restart=True, batch_size=batch_size,
                                  progress=progress)
        store.flush()
        parsed = time.perf_counter()
        held = write_import_csv(store, out_dir)
        delimiter = _delimiter(store, held)
        spilled = write_spilled_csv(store, out_dir, delimiter)
        written = time.perf_counter()
        held_counts = store.counts()
    finally:
        store.close()
    node_files = {**held["node_files"], **spilled["node_files"]}
    rel_files = {**held["relationship_files"], **spilled["relationship_files"]}
    multiline = held["multiline_fields"] or spilled["multiline_fields"]
    args = [f"--nodes={name}" for name in node_files.values()]
    args += [f"--relationships={name}" for name in rel_files.values()]
    args += [f"--array-delimiter={_admin_delimiter(delimiter)}",
             f"--multiline-fields={'true' if multiline else 'false'}"]
    nodes = dict(sorted({**held_counts["nodes"], **spilled["nodes"]}.items()))
    rels = dict(held_counts["relationships"])
    for rtype, n in spilled["relationships"].items():
        rels[rtype] = rels.get(rtype, 0) + n
    rels = dict(sorted(rels.items()))
    (out_dir / "import.args").write_text("\n".join(absolute_args(args, out_dir)) + "\n",
                                         encoding="utf-8")
    return {
        "dataset": str(dataset_dir), "out_dir": str(out_dir),
        "nodes": nodes, "relationships": rels,
        "node_total": sum(nodes.values()), "relationship_total": sum(rels.values()),
        "quarantined": sum(f.quarantined for f in report.files),
        "resolution": report.resolution,
        "node_files": node_files, "relationship_files": rel_files,
        "array_delimiter": delimiter, "multiline_fields": multiline, "admin_args": args,
        "streamed": True, "spilled_rows": sum(store.table(t).written
                                              for t in store.spilled_tables()),
        "parse_seconds": round(parsed - began, 3),
        "write_seconds": round(written - parsed, 3),
    }
