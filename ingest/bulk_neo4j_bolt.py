"""The initial load into an empty Neo4j over Bolt: the collected graph CREATEd whole.

The rows go through the very pipeline `ingest_directory` runs (loaders, validation,
quarantine, reference checks, entity resolution, delivery counts) into a
`CollectingStore`, in the collector's worker where there is a second core, exactly as the
neo4j-admin route (`ingest.bulk_neo4j`) collects them. Then, with the key constraints in
place first, the process that holds the graph writes it over Bolt with CREATE only
(`graphfraud.store.neo4j_bolt_load`), and the rest of the schema follows. No server stop,
no import, no restart: so it also serves a Neo4j that GraphFraud does not run (a URI
elsewhere, a cluster). The graph is the ordinary ingest's (the fingerprint test on the
real Neo4j covers this route too).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphfraud.ingest.bulk import collect, new_collector, require_empty
from graphfraud.store.base import GraphStore, StoreError


def _tuning() -> tuple[int | None, int | None]:
    """Batch rows and sessions from `GRAPHFRAUD_BOLT_BATCH_ROWS` / `GRAPHFRAUD_BOLT_SESSIONS`
    (unset: `neo4j_bolt_load`'s defaults), for measuring."""
    rows = os.environ.get("GRAPHFRAUD_BOLT_BATCH_ROWS")
    sessions = os.environ.get("GRAPHFRAUD_BOLT_SESSIONS")
    return (int(rows) if rows else None), (int(sessions) if sessions else None)


def bolt_ingest_neo4j(store: GraphStore, directory: Path, delivery: str | None = None,
                      batch_size: int = 5000,
                      progress: Callable[[str, int], None] | None = None) -> Any:
    """Parse `directory` in memory and create the graph in the empty Neo4j of `store` over
    Bolt; then the schema. Refuses a graph that holds nodes."""
    from graphfraud.ingest.bulk_neo4j import Neo4jBulkReport

    require_empty(store)
    began, cpu_began = time.perf_counter(), time.process_time()
    store.apply_key_constraints()  # the relationship writes find their ends by key
    constrained = time.perf_counter()
    collected, worker = new_collector()
    try:
        report, expected = collect(collected, directory, delivery, batch_size, progress)
        parsed = time.perf_counter()
        uri, auth, database = store.bolt_target()
        batch_rows, sessions = _tuning()
        made = collected.write_bolt(uri, auth, database, batch_rows, sessions)
        worker_cpu = collected.cpu_seconds() if worker else 0.0
    finally:
        collected.close()  # its memory goes back before the indexes populate
    written, parent_cpu = time.perf_counter(), time.process_time() - cpu_began
    store.reconnect()  # the writes were another driver's: no bookmarks, no first-load state
    store.apply_schema()
    store.await_indexes()  # type: ignore[attr-defined]  # loaded means indexed
    indexed = time.perf_counter()
    want = (sum(expected["nodes"].values()), sum(expected["relationships"].values()))
    nodes = sum(int(r["nodes"]) for r in store.run("count_by_label"))
    rels = sum(int(r["relationships"]) for r in store.run("count_by_type"))
    if (nodes, rels) != want or (made["nodes"], made["relationships"]) != want:
        raise StoreError(f"the Bolt bulk load made {nodes} nodes and {rels} relationships "
                         f"(writes reported {made['nodes']} and {made['relationships']}); the "
                         f"collected graph has {want[0]} and {want[1]}")
    report.seconds = round(indexed - began, 3)
    return Neo4jBulkReport(report, parse_seconds=round(parsed - constrained, 3),
                           load_seconds=round(written - parsed, 3),
                           index_seconds=round(indexed - written + constrained - began, 3),
                           nodes=nodes, relationships=rels, batches=made["batches"],
                           route="bolt", worker=worker,
                           node_seconds=made["node_seconds"],
                           relationship_seconds=made["relationship_seconds"],
                           constraint_seconds=round(constrained - began, 3),
                           parent_cpu_seconds=round(parent_cpu, 3),
                           worker_cpu_seconds=round(worker_cpu, 3))
