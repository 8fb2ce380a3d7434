"""The initial load of a large delivery into an empty embedded store, in bulk.

The rows go through the very pipeline `ingest_directory` runs (loaders, validation,
quarantine, reference checks, entity resolution, delivery counts) into an in-memory
`CollectingStore`, in a worker process on the second core where there is one
(`ingest.collector`; `GRAPHFRAUD_COLLECT_WORKER=0` keeps it in-process); the collected graph is then created in one go with FalkorDB's
`GRAPH.BULK` and indexed. The graph is the one an ordinary ingest would have made (a test
compares the two); later deliveries use the ordinary ingest, which merges into it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphfraud.ingest import collector
from graphfraud.ingest.resolution import warm_cache_after_bulk
from graphfraud.ingest.run import IngestReport, ingest_directory, quiet_gc
from graphfraud.store.base import GraphStore, StoreError
from graphfraud.store.falkordb_bulk import DEFAULT_BATCH_BYTES, bulk_batches
from graphfraud.store.memory import CollectingStore


@dataclass
class BulkLoadReport:
    """The ingest report of the parse, and the load's figures apart."""

    ingest: IngestReport
    parse_seconds: float = 0.0
    load_seconds: float = 0.0
    index_seconds: float = 0.0
    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    #: whether the server's log was rewritten as a snapshot after the load (if not, e.g.
    #: a full disk, the next start replays the load's log: slower, nothing lost)
    compacted: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"ingest": self.ingest.to_dict(), "parse_seconds": self.parse_seconds,
                "load_seconds": self.load_seconds, "index_seconds": self.index_seconds,
                "nodes": self.nodes, "relationships": self.relationships,
                "batches": self.batches, "compacted": self.compacted}


def require_empty(store: GraphStore) -> None:
    """A bulk load creates the graph whole: it refuses a store that holds nodes."""
    present = sum(int(r["nodes"]) for r in store.run("count_by_label"))
    if present:
        raise StoreError(f"the bulk load needs an empty graph; {store.identity()} holds "
                         f"{present} nodes (use --fresh, or the ordinary ingest)")


def new_collector() -> tuple[Any, bool]:
    """A bulk load's collecting store, and whether it is the worker process (where
    `collector.enabled()`: a second core) rather than in this process."""
    worker = collector.enabled()
    return (collector.CollectorProcess() if worker else CollectingStore()), worker


def collect(collected: Any, directory: Path, delivery: str | None, batch_size: int,
            progress: Callable[[str, int], None] | None,
            ) -> tuple[IngestReport, dict[str, dict[str, int]]]:
    """The ordinary ingest pipeline into `collected`; its report and the collected
    graph's counts (in the worker: after every batch is applied)."""
    report = ingest_directory(collected, directory, delivery, batch_size,
                              progress=progress, restart=True)
    return report, collected.counts()


def _check_counts(made: dict[str, int], expected: dict[str, dict[str, int]]) -> None:
    want_nodes = sum(expected["nodes"].values())
    want_rels = sum(expected["relationships"].values())
    if (made["nodes"], made["relationships"]) != (want_nodes, want_rels):
        raise StoreError(f"bulk load made {made['nodes']} nodes and {made['relationships']} "
                         f"relationships; the collected graph has {want_nodes} and "
                         f"{want_rels}")


def bulk_ingest(store: GraphStore, directory: Path, delivery: str | None = None,
                batch_size: int = 5000, batch_bytes: int = DEFAULT_BATCH_BYTES,
                progress: Callable[[str, int], None] | None = None,
                route: str | None = None) -> BulkLoadReport:
    """Parse `directory` in memory and create the graph in `store` (embedded, empty) with
    GRAPH.BULK; then the indexes. Refuses a store that already holds nodes. On Neo4j,
    `route` is the Neo4j bulk route (`bulk_neo4j.choose_route`: auto, bolt, admin)."""
    if store.kind == "neo4j":  # neo4j-admin import or CREATE over Bolt: bulk_neo4j.py
        from graphfraud.ingest.bulk_neo4j import bulk_ingest_neo4j
        return bulk_ingest_neo4j(store, directory, delivery, batch_size, progress, route)
    if route not in (None, "auto"):
        raise StoreError(f"the bulk route {route!r} is Neo4j's; the embedded store loads "
                         "with GRAPH.BULK")
    if not store.supports_bulk:
        raise StoreError("the bulk load is the embedded store's and the managed Neo4j's; for "
                         "another store write neo4j-admin import files with "
                         "`graphfraud export-import-csv`")
    require_empty(store)
    began = time.perf_counter()
    collected, worker = new_collector()
    try:
        report, expected = collect(collected, directory, delivery, batch_size, progress)
        parsed = time.perf_counter()
        store.clear()  # GRAPH.BULK's BEGIN needs the key absent (the count above made it)
        # no fork of the server on its own until the log is compacted: a fork during
        # GRAPH.BULK left it deaf, and an automatic rewrite started by the server's cron
        # right after a large load crashed it (see FalkorDBStore.background_saves_paused
        # and docs/scaling.md); the one rewrite is the one asked for, inside the pause
        with store.background_saves_paused():
            with quiet_gc():  # the encoder's millions of short-lived values: see quiet_gc
                batches = (collected.bulk_batches(batch_bytes) if worker else
                           bulk_batches(collected.nodes, collected.rels.values(),
                                        batch_bytes))
                made = store.bulk_insert(batches)
            loaded = time.perf_counter()
            store.apply_schema()
            indexed = time.perf_counter()
            _check_counts(made, expected)
            # the next start reads a snapshot instead of replaying the GRAPH.BULK calls
            compacted = store.compact()
    finally:
        collected.close()
    if not compacted and not store.health().get("ok"):
        raise StoreError(f"the server of {store.identity()} stopped while it rewrote its log "
                         "after the bulk load; see its log file, and load again with --fresh")
    report.seconds = round(indexed - began, 3)
    warm_cache_after_bulk(store)  # so the first delivery after it reads ER's cache: warm
    return BulkLoadReport(report, parse_seconds=round(parsed - began, 3),
                          load_seconds=round(loaded - parsed, 3),
                          index_seconds=round(indexed - loaded, 3),
                          nodes=made["nodes"], relationships=made["relationships"],
                          batches=made["calls"], compacted=compacted)
