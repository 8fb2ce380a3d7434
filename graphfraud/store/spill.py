"""A collecting store that spills the movement-sized part of the graph to disk.

`CollectingStore` holds the whole graph in Python (~5 KiB per movement line): a national
year (10M lines) would need ~55 GiB. `SpillingStore` takes the same writes from the same
pipeline (`ingest_directory(store, dir, restart=True)`) but keeps in memory only what
entity resolution and the delivery record read back (the register: traders, persons,
addresses, premises, mentions, tips, …). The labels that grow with the movements
(`SPILL_LABELS`) and every relationship touching them are rendered to their import-CSV
text at once and written per batch to Parquet, hash-partitioned by key, so the client
holds one buffer per table, not the graph.

`merged_nodes` / `merged_links` then apply the collected graph's semantics per key,
one partition at a time (Polars): the props' last non-null value by write order wins,
the provenance lists `sources`, `deliveries`, `legal_bases` keep their first-seen order
without repeats, a relationship exists only when both its ends were written before it
(the statement's MATCH), and a single-valued type keeps, per start node, only the writes
since its end last changed (the statement deletes the old relationship first). A null
prop is treated as absent (the pipeline sends none; `SET n += {p: null}` would remove p).
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from graphfraud.model.operations import LinkWrite, NodeWrite, Write
from graphfraud.store.base import StoreError
from graphfraud.store.memory import PROVENANCE_LISTS, CollectingStore
from graphfraud.store.neo4j_import import ARRAY_DELIMITERS, _cell, _merge_types, _value_type
from graphfraud.store.statements import write_named

#: the labels whose count grows with the movement lines: spilled, not held
SPILL_LABELS = frozenset({"Movement", "MovementLine", "MovementEvent"})

#: own type of a value -> final column types whose CSV text is the same
_COMPATIBLE = {"long": {"long", "double", "string"}, "double": {"double", "string"},
               "string": {"string"}, "boolean": {"boolean"}}


@functools.cache
def _prop_col(prop: str) -> str:
    return f"p:{prop}"


@dataclass
class _Table:
    """One spilled table: a label's nodes, or one (type, start label)'s relationships."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    list_cols: set[str] = field(default_factory=set)
    flushes: int = 0
    written: int = 0
    #: (end label or "" for nodes, prop) -> own types seen
    types: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    end_labels: set[str] = field(default_factory=set)
    single: set[bool] = field(default_factory=set)
    keys: tuple[str, ...] = ()


def _render(value: Any) -> tuple[str, Any]:
    """(own neo4j-admin type, CSV text or list of element texts) of one value."""
    kind = _value_type(value)
    if kind.endswith("[]"):
        return kind, [_cell(v, kind[:-2], "") or "" for v in value]
    return kind, _cell(value, kind, "")


def final_type(own: set[str], where: str) -> str:
    """The column's neo4j-admin type, as `column_types` folds it; refuses a mix whose
    text would differ from the collected export's (a boolean or list among others)."""
    merged: str | None = None
    for kind in sorted(own):
        merged = _merge_types(merged, kind)
    assert merged is not None
    for kind in own:
        ok = merged.endswith("[]") and kind.endswith("[]") if merged.endswith("[]") \
            else merged in _COMPATIBLE.get(kind, set())
        if not ok:
            raise StoreError(f"streamed export: {where} holds values of types "
                             f"{sorted(own)}; write it with the collected export instead")
    return merged


class SpillingStore(CollectingStore):
    """A `CollectingStore` whose `SPILL_LABELS` nodes and their relationships go to
    Parquet under `spill_dir` (see the module docstring)."""

    kind = "collect"
    keyed_writes = False  # every write goes through `upsert`, which diverts the spilled

    def __init__(self, spill_dir: Path, partitions: int = 64, flush_rows: int = 50_000,
                 spill_labels: Iterable[str] = SPILL_LABELS) -> None:
        super().__init__()
        self.spill_dir = Path(spill_dir)
        self.partitions, self.flush_rows = partitions, flush_rows
        self.spill_labels = frozenset(spill_labels)
        if self.spill_dir.exists():
            shutil.rmtree(self.spill_dir)
        self.spill_dir.mkdir(parents=True)
        self._tables: dict[str, _Table] = {}
        self._seq = 0
        #: list elements' texts contain these delimiter candidates
        self.bad_delimiters: set[str] = set()

    # -- writes ---------------------------------------------------------------------------
    def upsert(self, name: Write | str, rows: Iterable[Mapping[str, Any]],
               batch_size: int = 5000, extra: Mapping[str, Any] | None = None) -> int:
        write = write_named(name) if type(name) is str else name
        if isinstance(write, NodeWrite) and write.label in self.spill_labels:
            return self._spill_nodes(write, rows, extra or {})
        if isinstance(write, LinkWrite) and (write.start in self.spill_labels
                                             or write.end in self.spill_labels):
            return self._spill_links(write, rows, extra or {})
        return super().upsert(write, rows, batch_size, extra)

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = _Table(name)
        return table

    def _note_text(self, text: str) -> None:
        for d in ARRAY_DELIMITERS:
            if d in text:
                self.bad_delimiters.add(d)

    def _props(self, table: _Table, end: str, out: dict[str, Any],
               props: Mapping[str, Any]) -> None:
        for prop, value in props.items():
            if value is None:
                continue
            kind, text = _render(value)
            col = _prop_col(prop)
            if kind.endswith("[]"):
                table.list_cols.add(col)
                for t in text:
                    self._note_text(t)
            table.types.setdefault((end, prop), set()).add(kind)
            out[col] = text

    def _provenance(self, table: _Table, end: str, out: dict[str, Any],
                    extra: Mapping[str, Any]) -> None:
        for param, prop in PROVENANCE_LISTS.items():
            value = extra.get(param)
            if value is not None:
                out[f"_{param}"] = str(value)
                table.types.setdefault((end, prop), set()).add("string[]")

    def _spill_nodes(self, write: NodeWrite, rows: Iterable[Mapping[str, Any]],
                     extra: Mapping[str, Any]) -> int:
        table = self._table(f"nodes_{write.label}")
        prov: dict[str, Any] = {}
        self._provenance(table, "", prov, extra)
        for v in prov.values():
            self._note_text(v)
        n = 0
        for row in rows:
            self._seq += 1
            out = {"_seq": self._seq, "_key": str(row["key"]), **prov}
            self._props(table, "", out, row.get("props") or {})
            table.rows.append(out)
            n += 1
        self._maybe_flush(table, "_key")
        return n

    def _spill_links(self, write: LinkWrite, rows: Iterable[Mapping[str, Any]],
                     extra: Mapping[str, Any]) -> int:
        table = self._table(f"rels_{write.rel}__{write.start}")
        table.end_labels.add(write.end)
        table.single.add(bool(write.single))
        if table.keys and table.keys != tuple(write.keys):
            raise StoreError(f"streamed export: {write.rel} from {write.start} is written "
                             "with different key properties")
        table.keys = tuple(write.keys)
        held_start = None if write.start in self.spill_labels else self.nodes[write.start]
        held_end = None if write.end in self.spill_labels else self.nodes[write.end]
        prov: dict[str, Any] = {}
        self._provenance(table, write.end, prov, extra)
        n = 0
        for row in rows:
            start, end = str(row["start"]), str(row["end"])
            if (held_start is not None and row["start"] not in held_start) or \
                    (held_end is not None and row["end"] not in held_end):
                continue  # the statement's MATCH finds no node: nothing is made
            self._seq += 1
            out = {"_seq": self._seq, "_start": start, "_end_label": write.end,
                   "_end": end, **prov}
            keyprops = {}
            for k in write.keys:
                value = row.get(k)
                if value is not None:
                    kind, text = _render(value)
                    out[f"k:{k}"] = text
                    keyprops[k] = value
            self._props(table, write.end, out, keyprops)
            self._props(table, write.end, out, row.get("props") or {})
            table.rows.append(out)
            n += 1
        self._maybe_flush(table, "_start")
        return n

    def _maybe_flush(self, table: _Table, by: str, force: bool = False) -> None:
        if not table.rows or (len(table.rows) < self.flush_rows and not force):
            return
        names = sorted({c for r in table.rows for c in r})
        schema = {c: (pl.Int64 if c == "_seq" else
                      pl.List(pl.String) if c in table.list_cols else pl.String)
                  for c in names}
        df = pl.from_dicts(table.rows, schema=schema)
        df = df.with_columns((pl.col(by).hash(seed=7) % self.partitions).alias("_part"))
        for (part,), chunk in df.partition_by("_part", as_dict=True,
                                              include_key=False).items():
            where = self.spill_dir / table.name / f"part-{part:03d}"
            where.mkdir(parents=True, exist_ok=True)
            chunk.write_parquet(where / f"flush-{table.flushes:05d}.parquet",
                                compression="lz4")
        table.written += len(table.rows)
        table.flushes += 1
        table.rows = []

    def flush(self) -> None:
        """Write every buffer out (before the merge, or a delivery count)."""
        for table in self._tables.values():
            self._maybe_flush(table, "_key" if table.name.startswith("nodes_") else "_start",
                              force=True)

    # -- reads the pipeline asks --------------------------------------------------------
    def stream(self, name: str, params: Mapping[str, Any] | None = None,
               ) -> Iterator[dict[str, Any]]:
        if name == "explorer_nodes_per_delivery":
            return iter(self._delivery_counts())
        return super().stream(name, params)

    def _delivery_counts(self) -> list[dict[str, Any]]:
        counts = {(r["delivery"], r["label"]): r["nodes"] for r in self._nodes_per_delivery()}
        self.flush()
        for label in sorted(self.spill_labels):
            for part in self._parts(f"nodes_{label}"):
                frame = self._scan(part)
                if "_delivery" not in frame.collect_schema():
                    continue
                got = (frame.select("_key", "_delivery").drop_nulls().unique()
                       .group_by("_delivery").len().collect())
                for d, n in got.iter_rows():
                    counts[(d, label)] = counts.get((d, label), 0) + n
        return [{"delivery": d, "label": label, "nodes": n}
                for (d, label), n in sorted(counts.items())]

    # -- the merge ----------------------------------------------------------------------
    def spilled_tables(self) -> list[str]:
        return sorted(self._tables)

    def table(self, name: str) -> _Table:
        return self._tables[name]

    def _parts(self, name: str) -> list[Path]:
        where = self.spill_dir / name
        return sorted(p for p in where.glob("part-*") if p.is_dir()) if where.exists() else []

    @staticmethod
    def _scan(part: Path) -> pl.LazyFrame:
        return pl.concat([pl.scan_parquet(f) for f in sorted(part.glob("*.parquet"))],
                         how="diagonal_relaxed")

    def _keys_path(self, label: str) -> Path:
        return self.spill_dir / "keys" / label

    def column_type(self, table: _Table, end: str, prop: str) -> str:
        return final_type(table.types[(end, prop)], f"{table.name} {end} {prop}".strip())

    @staticmethod
    def widened(table: _Table, end: str) -> frozenset[str]:
        """The props holding longs in a column that is double (their text changes)."""
        return frozenset(p for (e, p), own in table.types.items()
                         if e == end and own == {"long", "double"})

    def props_of(self, table: _Table, end: str = "") -> list[str]:
        return sorted(p for (e, p) in table.types if e == end)

    def _aggregations(self, table: _Table, columns: Iterable[str]) -> list[pl.Expr]:
        have = set(columns)
        aggs = []
        for (_, prop) in sorted({("", p) for (_, p) in table.types}):
            if prop in PROVENANCE_LISTS.values():
                param = next(k for k, v in PROVENANCE_LISTS.items() if v == prop)
                if f"_{param}" in have:
                    aggs.append(pl.col(f"_{param}").drop_nulls().unique(maintain_order=True)
                                .alias(prop))
            elif _prop_col(prop) in have:
                aggs.append(pl.col(_prop_col(prop)).drop_nulls().last().alias(prop))
        return aggs

    @staticmethod
    def _no_empty_lists(frame: pl.DataFrame, props: Iterable[str]) -> pl.DataFrame:
        fix = [pl.when(pl.col(p).list.len() > 0).then(pl.col(p)).alias(p)
               for p in PROVENANCE_LISTS.values() if p in props]
        return frame.with_columns(fix) if fix else frame

    def merged_nodes(self, label: str) -> Iterator[pl.DataFrame]:
        """Per partition: one row per node (`_key`, `_first` write, props by name); also
        writes the keys table the relationships' MATCH is checked against."""
        table = self._tables[f"nodes_{label}"]
        keys_dir = self._keys_path(label)
        keys_dir.mkdir(parents=True, exist_ok=True)
        for part in self._parts(table.name):
            frame = self._scan(part)
            aggs = self._aggregations(table, frame.collect_schema().names())
            merged = (frame.sort("_seq").group_by("_key")
                      .agg(pl.col("_seq").min().alias("_first"), *aggs).sort("_key")
                      .collect())
            merged = self._no_empty_lists(merged, merged.columns)
            merged.select("_key", "_first").write_parquet(keys_dir / f"{part.name}.parquet")
            yield merged

    def merged_links(self, name: str) -> Iterator[pl.DataFrame]:
        """Per partition: one row per relationship (`_start`, `_end_label`, `_end`, props),
        after the MATCH of both ends and the single-valued replacement. Call after every
        spilled label's `merged_nodes`."""
        table = self._tables[name]
        rtype_start = name[len("rels_"):]
        start_label = rtype_start.split("__", 1)[1]
        if len(table.single) > 1:
            raise StoreError(f"streamed export: {name} is written both single- and "
                             "multi-valued")
        single = True in table.single
        for part in self._parts(name):
            frame = self._scan(part)
            cond = pl.lit(True)
            if start_label in self.spill_labels:
                frame = frame.join(self._keys_frame(start_label, "_start_first"),
                                   left_on="_start", right_on="_key", how="left")
                cond = cond & (pl.col("_start_first") < pl.col("_seq")).fill_null(False)
            for end in sorted(table.end_labels & self.spill_labels):
                col = f"_end_first_{end}"
                frame = frame.join(self._keys_frame(end, col), left_on="_end",
                                   right_on="_key", how="left")
                cond = cond & ((pl.col("_end_label") != end)
                               | (pl.col(col) < pl.col("_seq")).fill_null(False))
            frame = frame.filter(cond).sort("_seq")
            if single:
                changed = ((pl.col("_end") != pl.col("_end").shift(1).over("_start"))
                           | (pl.col("_end_label")
                              != pl.col("_end_label").shift(1).over("_start")))
                frame = frame.with_columns(changed.fill_null(True).cast(pl.Int32)
                                           .cum_sum().over("_start").alias("_run"))
                frame = frame.filter(pl.col("_run") == pl.col("_run").max().over("_start"))
            ident = ["_start", "_end_label", "_end", *(f"k:{k}" for k in table.keys)]
            names = frame.collect_schema().names()
            ident = [c for c in ident if c in names]
            aggs = self._aggregations(table, names)
            merged = frame.group_by(ident).agg(*aggs).sort(ident).collect()
            for k in table.keys:  # the key's value is a prop from the start
                if f"k:{k}" in merged.columns:
                    merged = merged.with_columns(
                        pl.col(k).fill_null(pl.col(f"k:{k}")) if k in merged.columns
                        else pl.col(f"k:{k}").alias(k))
            yield self._no_empty_lists(merged, merged.columns)

    def _keys_frame(self, label: str, alias: str) -> pl.LazyFrame:
        files = sorted(self._keys_path(label).glob("*.parquet"))
        if not files:
            return pl.LazyFrame({"_key": [], alias: []},
                                schema={"_key": pl.String, alias: pl.Int64})
        return pl.scan_parquet(files).rename({"_first": alias})

    def clear(self) -> None:
        self.__init__(self.spill_dir, self.partitions, self.flush_rows,  # type: ignore[misc]
                      self.spill_labels)

    def close(self) -> None:
        shutil.rmtree(self.spill_dir, ignore_errors=True)
