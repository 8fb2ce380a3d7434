"""One ingest batch's statements, grouped per typed write as they are made.

The per-row loaders' operations and the columnar movements path both fill a `Grouped`,
so both send the same statement rows: an upsert's properties merged (a later value
wins, an unknown one never overwrites), a relationship kept once per key in the order of
its last occurrence and, for a single-valued one, once per start node (the last end).
A relationship's key properties and single-valuedness come from its `LinkWrite`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphfraud.model.operations import LinkWrite, NodeWrite, Op, Write
from graphfraud.store.statements import write_named


@cache
def writes_in(order: tuple[Write | str, ...]) -> tuple[Write, ...]:
    """A loader's `query_order` as typed writes: a write as it is, a generated load
    statement's name as the write it performs (resolved once per order)."""
    out = []
    for entry in order:
        write = entry if isinstance(entry, NodeWrite | LinkWrite) else write_named(entry)
        if write is None:
            raise ValueError(f"{entry!r} in a loader's query_order is not a node upsert or "
                             "link of the model")
        out.append(write)
    return tuple(out)


class Grouped:
    """Statement rows per write, deduplicated as `ingest.run.group_operations` says."""

    def __init__(self) -> None:
        self.buckets: dict[Write, dict[Any, dict[str, Any]]] = {}

    def upsert(self, write: NodeWrite, key: Any, props: dict[str, Any]) -> None:
        bucket = self.buckets.get(write)
        if bucket is None:
            bucket = self.buckets[write] = {}
        row = bucket.get(key)
        if row is None:
            bucket[key] = {"key": key, "props": dict(props)}
        else:
            row["props"].update(props)

    def upsert_own(self, write: NodeWrite, key: Any, props: dict[str, Any]) -> None:
        """`upsert` of a properties dict made for this call alone: a new key keeps it
        instead of a copy (the caller must not use it again)."""
        bucket = self.buckets.get(write)
        if bucket is None:
            bucket = self.buckets[write] = {}
        row = bucket.get(key)
        if row is None:
            bucket[key] = {"key": key, "props": props}
        else:
            row["props"].update(props)

    def link(self, write: LinkWrite, row: dict[str, Any]) -> None:
        extra = tuple(row.get(k) for k in write.keys)
        key = (row["start"], *extra) if write.single else (row["start"], row["end"], *extra)
        bucket = self.buckets.get(write)
        if bucket is None:
            bucket = self.buckets[write] = {}
        bucket.pop(key, None)  # keep file order: the last row for a key goes last
        bucket[key] = row

    def edge(self, write: LinkWrite, start: Any, end: Any) -> None:
        """`link` of a relationship without key or properties, the common case, in fewer
        steps (the same row and the same bucket key)."""
        if write.keys:
            raise ValueError(f"{write} has key properties: use link()")
        key = (start,) if write.single else (start, end)
        bucket = self.buckets.get(write)
        if bucket is None:
            bucket = self.buckets[write] = {}
        else:
            bucket.pop(key, None)
        bucket[key] = {"start": start, "end": end, "props": {}}

    def extend(self, ops: Iterable[Op]) -> None:
        """Operations (`ingest.framework.node` / `link`), each grouped by its write."""
        upsert, link = self.upsert, self.link
        for write, row in ops:
            if type(write) is NodeWrite:
                upsert(write, row["key"], row["props"])
            else:
                link(write, row)  # type: ignore[arg-type]

    def items(self, order: Sequence[Write | str]) -> list[tuple[Write, list[dict[str, Any]]]]:
        """(write, statement rows) in `order`, the loader's `query_order`."""
        writes = writes_in(tuple(order))
        unknown = set(self.buckets) - set(writes)
        if unknown:
            names = sorted(map(str, unknown))
            if any(type(w) is str for w in unknown):
                raise TypeError(f"Grouped takes typed writes (`node_write`, `link_write`), "
                                f"not statement names: {names}")
            raise RuntimeError(f"operations {names} missing from the loader's query_order")
        buckets = self.buckets
        return [(w, list(buckets[w].values())) for w in writes if w in buckets]


@dataclass
class RecordBatch:
    """One batch's valid records, for a store that builds the statement rows itself
    (the bulk load's collector, in its worker process: the parent then only parses and
    validates). `items()` gives exactly the rows the parent would have sent: each record
    goes through the loader's `statements_into` (with the references the parent resolved
    for it, `resolved`) or, for a loader whose operations read no references
    (`Loader.refs_free`), its `operations`, grouped as `Grouped` does, in file order."""

    loader: type
    records: list[dict[str, Any]]
    resolved: list[Any] | None = None

    def items(self) -> list[tuple[Write, list[dict[str, Any]]]]:
        loader = self.loader()
        grouped = Grouped()
        if self.resolved is not None:
            into = loader.statements_into
            for rec, refs in zip(self.records, self.resolved, strict=True):
                into(grouped, rec, refs)
        else:
            ops: list[Op] = []
            for rec in self.records:
                ops.extend(loader.operations(rec, None))
            grouped.extend(ops)
        return grouped.items(loader.query_order)

    def apply(self, store: Any, extra: Mapping[str, Any]) -> int:
        """The batch written into a collecting store that takes grouped writes
        (`CollectingStore.upsert_keyed` / `upsert_edges`): by the loader's own
        `apply_records` where it has one (the movements: `ingest.movement_apply`), else
        the rows of `items()`. The same graph either way."""
        fast = getattr(self.loader, "apply_records", None)
        if fast is not None and self.resolved is not None:
            return fast(store, self.loader.file_name, self.records, self.resolved, extra)
        return store.upsert_many(self.items(), extra=extra)
