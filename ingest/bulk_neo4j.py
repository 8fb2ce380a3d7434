"""The initial load into an empty Neo4j: the route choice (`choose_route`: CREATE over
Bolt, `ingest.bulk_neo4j_bolt`, or neo4j-admin import) and the neo4j-admin route itself,
the national first load into the project-managed Neo4j through `neo4j-admin database
import full`.

The rows go through the very pipeline `ingest_directory` runs (loaders, validation,
quarantine, reference checks, entity resolution, delivery counts) into an in-memory
`CollectingStore`, in the collector's worker process where there is a second core
(`ingest.collector`, as the embedded bulk load does; `GRAPHFRAUD_COLLECT_WORKER=0` keeps
it in-process); the collected graph is written as neo4j-admin's typed CSV files
(`graphfraud.store.neo4j_import`) by the process that holds it, so the graph never
crosses the pipe; the server is stopped (while the files are parsed), the database imported (it
replaces the empty database), the server started and the schema applied. The graph is
the one an ordinary ingest makes (a test compares the fingerprints on the real Neo4j);
later deliveries use the ordinary ingest. A Neo4j that GraphFraud does not run itself
(a URI elsewhere, a cluster) is refused by this route and loaded by the Bolt route (or
write the files with `export-import-csv` and import them there).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphfraud.ingest.bulk import BulkLoadReport, collect, new_collector, require_empty
from graphfraud.ingest.run import quiet_gc
from graphfraud.servers import neo4j_local
from graphfraud.store.base import GraphStore, StoreError
from graphfraud.store.neo4j_import import write_import_csv


@dataclass
class Neo4jBulkReport(BulkLoadReport):
    """The bulk report, with the load split: CSV files, neo4j-admin, server start."""

    write_seconds: float = 0.0
    import_seconds: float = 0.0
    start_seconds: float = 0.0
    #: the wait for the server's stop (begun with the parse) after the files are written
    stop_wait_seconds: float = 0.0
    #: whether the graph was collected (and its files written) in the worker process
    worker: bool = False
    #: CPU seconds of the parse and the file writing: this process, and the worker's
    parent_cpu_seconds: float = 0.0
    worker_cpu_seconds: float = 0.0
    #: which route loaded it: "admin" (neo4j-admin import) or "bolt" (CREATE over Bolt)
    route: str = "admin"
    #: the Bolt route's stages: key constraints first, then nodes, then relationships
    constraint_seconds: float = 0.0
    node_seconds: float = 0.0
    relationship_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "route": self.route,
                "constraint_seconds": self.constraint_seconds,
                "node_seconds": self.node_seconds,
                "relationship_seconds": self.relationship_seconds,
                "write_seconds": self.write_seconds,
                "stop_wait_seconds": self.stop_wait_seconds,
                "import_seconds": self.import_seconds, "start_seconds": self.start_seconds,
                "worker": self.worker, "parent_cpu_seconds": self.parent_cpu_seconds,
                "worker_cpu_seconds": self.worker_cpu_seconds}


#: where the import files go, inside the Neo4j home (removed after a good import)
IMPORT_DIR = "bulk-import"


def _import_args(files: dict[str, Any], out: Path, database: str) -> list[str]:
    args = [a.replace("--nodes=", f"--nodes={out}/").replace(
        "--relationships=", f"--relationships={out}/") for a in files["admin_args"]]
    return ["database", "import", "full", *args, "--overwrite-destination=true",
            f"--report-file={out / 'import.report'}", database]


def bulk_ingest_neo4j(store: GraphStore, directory: Path, delivery: str | None = None,
                      batch_size: int = 5000,
                      progress: Callable[[str, int], None] | None = None,
                      route: str | None = None) -> Neo4jBulkReport:
    """Parse `directory` in memory and load the graph into the empty Neo4j of `store` by
    the route `choose_route` picks; then the schema. Refuses a graph that holds nodes."""
    chosen = choose_route(store, directory, route)
    if chosen == "bolt":
        from graphfraud.ingest.bulk_neo4j_bolt import bolt_ingest_neo4j
        return bolt_ingest_neo4j(store, directory, delivery, batch_size, progress)
    return admin_ingest_neo4j(store, directory, delivery, batch_size, progress)


#: `GRAPHFRAUD_NEO4J_BULK_ROUTE`: bolt, admin, or auto (the default: `choose_route`)
ROUTES = ("auto", "bolt", "admin")
#: input bytes from which the managed server is loaded by neo4j-admin (see choose_route):
#: the crossover (12-23 MB) of the two routes' costs measured side by side at medium
#: (54.6 MB: neo4j-admin 190-269 s, Bolt 323-375 s), so medium and large go by neo4j-admin
#: and a tiny or small delivery over Bolt (docs/scaling.md, section "s10-n")
ADMIN_FROM_BYTES = 16_000_000


def input_bytes(directory: Path) -> int:
    """The delivery's size on disk (its files, not GraphFraud's own state folder)."""
    return sum(p.stat().st_size for p in directory.rglob("*")
               if p.is_file() and ".graphfraud" not in p.relative_to(directory).parts)


def choose_route(store: GraphStore, directory: Path, route: str | None = None) -> str:
    """`bolt` or `admin`. A Neo4j GraphFraud does not run can only be loaded over Bolt.
    On the managed one, auto picks neo4j-admin from `ADMIN_FROM_BYTES` of input: its
    fixed costs (two JVM starts, the schema on a restarted server) are paid back only by
    a large load (docs/scaling.md, "s10-n"). `route` (or GRAPHFRAUD_NEO4J_BULK_ROUTE)
    forces one; admin on a server GraphFraud does not run is refused."""
    route = route or os.environ.get("GRAPHFRAUD_NEO4J_BULK_ROUTE") or "auto"
    if route not in ROUTES:
        raise StoreError(f"unknown Neo4j bulk route {route!r}; choose one of {ROUTES}")
    settings = getattr(store, "settings", None)
    managed = settings is not None and settings.uses_local_neo4j
    if route == "admin" and not managed:
        raise StoreError("the neo4j-admin bulk route stops and starts the Neo4j GraphFraud "
                         "runs itself; for a server elsewhere use the Bolt route, or write "
                         "neo4j-admin import files with `graphfraud export-import-csv` and "
                         "import them there")
    if route != "auto":
        return route
    return "admin" if managed and input_bytes(directory) >= ADMIN_FROM_BYTES else "bolt"


def admin_ingest_neo4j(store: GraphStore, directory: Path, delivery: str | None = None,
                       batch_size: int = 5000,
                       progress: Callable[[str, int], None] | None = None
                       ) -> Neo4jBulkReport:
    """Parse `directory` in memory and import the graph into the local Neo4j of `store`
    (empty) with neo4j-admin; then the schema. Refuses a graph that holds nodes."""
    settings = store.settings  # type: ignore[attr-defined]  (checked by choose_route)
    require_empty(store)
    began, cpu_began = time.perf_counter(), time.process_time()
    # the server is not needed while the files are parsed: it stops meanwhile
    stopping = threading.Thread(target=neo4j_local.stop, args=(settings,), daemon=True)
    stopping.start()
    collected, worker = new_collector()
    try:
        report, expected = collect(collected, directory, delivery, batch_size, progress)
        parsed = time.perf_counter()
        out = settings.neo4j_home / IMPORT_DIR
        if out.exists():
            shutil.rmtree(out)
        if worker:  # written where the graph is (the worker runs with its gc off)
            files = collected.write_import_csv(str(out))
            worker_cpu = collected.cpu_seconds()
        else:
            with quiet_gc():
                files = write_import_csv(collected, out)
            worker_cpu = 0.0
    except BaseException:  # a failed parse leaves the server as it found it: running
        if worker:
            collected.close()
        stopping.join()
        neo4j_local.start(settings, timeout_s=600)
        store.reconnect()
        raise
    written, parent_cpu = time.perf_counter(), time.process_time() - cpu_began
    want = (sum(expected["nodes"].values()), sum(expected["relationships"].values()))
    collected.close()  # the graph is in the files: its memory goes back before the JVMs
    del collected
    stopping.join()
    stopped = time.perf_counter()
    result = neo4j_local.admin(settings, *_import_args(files, out, settings.neo4j_database))
    imported = time.perf_counter()
    neo4j_local.start(settings, timeout_s=600)  # a failed import leaves the old (empty) db
    store.reconnect()  # the imported database starts a new transaction history
    if result.returncode != 0:
        raise StoreError(f"neo4j-admin database import failed (exit {result.returncode}); "
                         f"files kept in {out}:\n{(result.stdout + result.stderr)[-3000:]}")
    started = time.perf_counter()
    store.apply_schema()
    store.await_indexes()  # type: ignore[attr-defined]  # loaded means indexed
    indexed = time.perf_counter()
    nodes = sum(int(r["nodes"]) for r in store.run("count_by_label"))
    rels = sum(int(r["relationships"]) for r in store.run("count_by_type"))
    if (nodes, rels) != want:
        raise StoreError(f"neo4j-admin import made {nodes} nodes and {rels} relationships; "
                         f"the collected graph has {want[0]} and {want[1]} (files in {out})")
    shutil.rmtree(out)
    report.seconds = round(indexed - began, 3)
    return Neo4jBulkReport(report, parse_seconds=round(parsed - began, 3),
                           load_seconds=round(started - parsed, 3),
                           index_seconds=round(indexed - started, 3),
                           nodes=nodes, relationships=rels,
                           batches=len(files["node_files"]) + len(files["relationship_files"]),
                           write_seconds=round(written - parsed, 3),
                           stop_wait_seconds=round(stopped - written, 3),
                           import_seconds=round(imported - stopped, 3),
                           start_seconds=round(started - imported, 3), worker=worker,
                           parent_cpu_seconds=round(parent_cpu, 3),
                           worker_cpu_seconds=round(worker_cpu, 3))
