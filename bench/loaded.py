"""Stores loaded with a world, kept between benchmarks so detection and queries need not
ingest again. A home is reused only if its marker says which world it holds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import SEED, embedded_server, fresh_copy, home, neo4j_server, world


class TimedStore:
    """Wraps a store: seconds spent inside `upsert` (the load), the rest is parsing."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.load_seconds = 0.0
        self.statements = 0

    def upsert(self, *args: Any, **kwargs: Any) -> int:
        began = time.perf_counter()
        try:
            return self.inner.upsert(*args, **kwargs)
        finally:
            self.load_seconds += time.perf_counter() - began
            self.statements += 1

    def upsert_many(self, items: Any, extra: Any = None) -> int:
        """One ingest batch (the ingest's writer thread sends it while the next is parsed,
        so `load_seconds` is the time the graph took and parse + load exceed the total)."""
        items = list(items)
        began = time.perf_counter()
        try:
            return self.inner.upsert_many(items, extra=extra)
        finally:
            self.load_seconds += time.perf_counter() - began
            self.statements += len(items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def marker(home_dir: Path, scale: str) -> Path:
    return home_dir / f"loaded-{scale}-{SEED}"


def ingest_timed(store: Any, dataset: Path) -> dict[str, Any]:
    """GraphFraud's ingest of `dataset`, with parse, load and resolution apart."""
    from graphfraud.ingest.resolution import resolve_mentions
    from graphfraud.ingest.run import ingest_directory

    timed = TimedStore(store)
    began = time.perf_counter()
    report = ingest_directory(timed, dataset, restart=True, resolve=False)
    ingest_s = time.perf_counter() - began
    t = time.perf_counter()
    resolution = resolve_mentions(store, report.delivery)
    resolve_s = time.perf_counter() - t
    return {"seconds": round(ingest_s + resolve_s, 3),
            "load_seconds": round(timed.load_seconds, 3),
            # parsing overlaps loading (ingest.run.BatchWriter): this is the part of the
            # parse that did not overlap, not the whole parse
            "parse_seconds": round(max(ingest_s - timed.load_seconds, 0.0), 3),
            "resolve_seconds": round(resolve_s, 3),
            "statements": timed.statements,
            "rows_read": sum(f.read for f in report.files),
            "rows_loaded": sum(f.loaded for f in report.files),
            "quarantined": sum(f.quarantined for f in report.files),
            "resolution": resolution,
            "files": {f.file: {"read": f.read, "seconds": f.seconds} for f in report.files}}


def graph_counts(store: Any) -> dict[str, int]:
    nodes = sum(int(r["nodes"]) for r in store.run("count_by_label"))
    rels = store.run("count_by_type")
    key = next((k for k in (rels[0] if rels else {}) if k != "type"), None)
    return {"nodes": nodes, "relationships": sum(int(r[key]) for r in rels) if key else 0}


def _load(store: Any, kind: str, scale: str, home_dir: Path) -> dict[str, Any]:
    """Empty `store`, ingest `scale`'s world, count the graph, mark the home as loaded."""
    store.clear()
    store.apply_schema()
    figures = ingest_timed(store, fresh_copy(world(scale), f"{scale}-{kind}"))
    figures.update(graph_counts(store))
    marker(home_dir, scale).write_text("ok\n")
    return figures


def load_fresh(kind: str, scale: str) -> dict[str, Any]:
    """Ingest figures of `scale`'s world into a wiped `loaded-<kind>-<scale>` home (kept
    for the later benchmarks); the server is stopped on the way out."""
    with loaded_store(kind, scale, reuse=False) as (_store, figures):
        assert figures is not None
        return figures


@contextmanager
def loaded_store(kind: str, scale: str, reuse: bool = True,
                 ) -> Iterator[tuple[Any, dict[str, Any] | None]]:
    """(store, ingest figures or None if reused) with `scale`'s world loaded, in the
    shared home `loaded-<kind>-<scale>`; the server is stopped on the way out."""
    from graphfraud.store import open_store

    home_dir = home(f"loaded-{kind}-{scale}", wipe=False)
    reuse = reuse and marker(home_dir, scale).exists()
    if not reuse:
        home_dir = home(f"loaded-{kind}-{scale}", wipe=True)
    server = neo4j_server if kind == "neo4j" else embedded_server
    with server(home_dir) as settings:
        store = open_store(settings, kind)
        try:
            yield store, None if reuse else _load(store, kind, scale, home_dir)
        finally:
            store.close()
