"""One ingest batch's statements, grouped per query as they are made.

The per-row loaders' operations and the columnar movements path both fill a `Grouped`,
so both send the same statement rows: an upsert's properties merged (a later value
wins, an unknown one never overwrites), a relationship kept once per key in the order of
its last occurrence and, for a single-valued one, once per start node (the last end).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphfraud.model.schema import rel_type


@cache
def link_key_of(name: str) -> tuple[tuple[str, ...], bool]:
    """(the relationship's key properties, whether it is single-valued) of a link query."""
    rel = rel_type(name[len("link_"):].split("__")[0].upper())
    return tuple(rel.key), rel.single


_SINGLE: dict[str, bool] = {}


class Grouped:
    """Statement rows per query name, deduplicated as `ingest.run.group_operations` says."""

    def __init__(self) -> None:
        self.buckets: dict[str, dict[Any, dict[str, Any]]] = {}

    def upsert(self, name: str, key: Any, props: dict[str, Any]) -> None:
        bucket = self.buckets.get(name)
        if bucket is None:
            bucket = self.buckets[name] = {}
        row = bucket.get(key)
        if row is None:
            bucket[key] = {"key": key, "props": dict(props)}
        else:
            row["props"].update(props)

    def link(self, name: str, row: dict[str, Any]) -> None:
        keys, single = link_key_of(name)
        extra = tuple(row.get(k) for k in keys)
        key = (row["start"], *extra) if single else (row["start"], row["end"], *extra)
        bucket = self.buckets.get(name)
        if bucket is None:
            bucket = self.buckets[name] = {}
        bucket.pop(key, None)  # keep file order: the last row for a key goes last
        bucket[key] = row

    def edge(self, name: str, start: Any, end: Any) -> None:
        """`link` of a relationship without key or properties, the common case, in fewer
        steps (the same row and the same bucket key)."""
        single = _SINGLE.get(name)
        if single is None:
            keys, single = link_key_of(name)
            if keys:
                raise ValueError(f"{name} has key properties: use link()")
            _SINGLE[name] = single
        key = (start,) if single else (start, end)
        bucket = self.buckets.get(name)
        if bucket is None:
            bucket = self.buckets[name] = {}
        else:
            bucket.pop(key, None)
        bucket[key] = {"start": start, "end": end, "props": {}}

    def items(self, order: tuple[str, ...]) -> list[tuple[str, list[dict[str, Any]]]]:
        unknown = set(self.buckets) - set(order)
        if unknown:
            raise RuntimeError(f"operations {sorted(unknown)} missing from the loader's "
                               "query_order")
        return [(name, list(self.buckets[name].values())) for name in order
                if name in self.buckets]
