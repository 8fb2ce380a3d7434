"""Benchmark: parse, validate and resolve a world with no database (into the in-memory
`CollectingStore`), the per-row pipeline and the columnar one side by side in one run,
on the same files; the two graphs are compared (they must be equal).

Target (issue 20): the large world in <= 60 s. The anchor is the per-row pipeline
(`GRAPHFRAUD_COLUMNAR=0`, movements through `operations` + `group_operations`, the
garbage collector left running as before).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager, nullcontext
from typing import Any

from bench.common import data_rows, fresh_copy, rate, table, world


@contextmanager
def _per_row():
    """The per-row pipeline: CSV rows parsed one by one, movements' operations grouped."""
    import graphfraud.ingest.run as run
    from graphfraud.ingest.movements import MovementLoader

    saved, env = MovementLoader.__dict__.get("operations_into"), os.environ.get(
        "GRAPHFRAUD_COLUMNAR")
    saved_gc = run.quiet_gc
    os.environ["GRAPHFRAUD_COLUMNAR"] = "0"
    MovementLoader.operations_into = None  # type: ignore[assignment]
    run.quiet_gc = nullcontext  # type: ignore[assignment]  # the collector as it was
    try:
        yield
    finally:
        MovementLoader.operations_into = saved  # type: ignore[method-assign]
        run.quiet_gc = saved_gc  # type: ignore[assignment]
        if env is None:
            os.environ.pop("GRAPHFRAUD_COLUMNAR", None)
        else:
            os.environ["GRAPHFRAUD_COLUMNAR"] = env


def _one(dataset, label: str, worker: bool = False) -> tuple[dict[str, Any], Any]:
    """One ingest into a collecting store: in-process, or (`worker`) the bulk load's
    `CollectorProcess`, timed until the worker has applied every row (its CPU seconds
    apart, in `worker_cpu_seconds`)."""
    from graphfraud.ingest.collector import CollectorProcess
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store.memory import CollectingStore

    store = CollectorProcess() if worker else CollectingStore()
    began, cpu = time.perf_counter(), time.process_time()
    report = ingest_directory(store, dataset, restart=True)
    worker_cpu = store.cpu_seconds() if worker else None  # after every row is applied
    seconds = time.perf_counter() - began
    files = {f.file: f.seconds for f in report.files if f.status == "loaded"}
    figure = {"path": label, "seconds": round(seconds, 2),
              "cpu_seconds": round(time.process_time() - cpu, 2),
              "resolution_seconds": round(seconds - sum(files.values()), 2),
              "files": files, "quarantined": sum(f.quarantined for f in report.files)}
    figure["load_average_1min"] = round(os.getloadavg()[0], 2)
    if worker_cpu is not None:
        figure["worker_cpu_seconds"] = round(worker_cpu, 2)
    return figure, store


def _worker_path(dataset, fast) -> tuple[dict[str, Any], bool]:
    """The columnar path collected in the worker process; the same graph as `fast`'s
    when its counts and its GRAPH.BULK bytes are the same."""
    from graphfraud.store.falkordb_bulk import bulk_batches

    figure, store = _one(dataset, "columnar, worker process", worker=True)
    try:
        same = store.counts() == fast.counts() and all(
            a == b for a, b in zip(store.bulk_batches(32_000_000),
                                   bulk_batches(fast.nodes, fast.rels.values(), 32_000_000),
                                   strict=True))
    finally:
        store.close()
    return figure, same


def run(scale: str) -> dict[str, Any]:
    src = world(scale)
    rows = sum(data_rows(src).values())
    dataset = fresh_copy(src, f"{scale}-parse")
    if os.environ.get("BENCH_PARSE_ANCHOR", "1") == "0":  # the columnar path alone
        figure, _ = _one(dataset, "columnar")
        figure["rows_per_second"] = rate(rows, figure["seconds"])
        return {"rows": rows, "per_row": None, "columnar": figure, "speedup": None,
                "same_graph": None, "target_seconds": 60 if scale == "large" else None}
    with _per_row():
        anchor, slow = _one(dataset, "per-row")
    slow_counts, slow_nodes, slow_rels = slow.counts(), slow.nodes, slow.rels
    del slow
    figure, fast = _one(dataset, "columnar")
    same = (fast.counts() == slow_counts and fast.nodes == slow_nodes
            and fast.rels == slow_rels)
    in_worker, same_in_worker = _worker_path(dataset, fast)
    for fig in (anchor, figure, in_worker):
        fig["rows_per_second"] = rate(rows, fig["seconds"])
    return {"rows": rows, "per_row": anchor, "columnar": figure, "worker": in_worker,
            "same_graph_in_worker": same_in_worker,
            "speedup": round(anchor["seconds"] / figure["seconds"], 2),
            "cpu_speedup": round(anchor["cpu_seconds"] / figure["cpu_seconds"], 2),
            "same_graph": same, "target_seconds": 60 if scale == "large" else None}


def render(result: dict[str, Any], scale: str) -> str:
    paths = [f for f in (result["per_row"], result["columnar"], result.get("worker")) if f]
    out = [[f["path"], f["seconds"], f["cpu_seconds"], f.get("worker_cpu_seconds"),
            f["rows_per_second"], f["resolution_seconds"], f["quarantined"]] for f in paths]
    text = table(f"Parse + validate + resolve, no database — {scale}, {result['rows']:,} rows "
                 f"(same graph: {result['same_graph']}, in the worker: "
                 f"{result.get('same_graph_in_worker')}; wall {result['speedup']}x, "
                 f"CPU {result.get('cpu_speedup')}x)",
                 ["path", "seconds", "CPU s", "worker CPU s", "rows/s", "resolve+other s",
                  "quarantined"],
                 out)
    files = sorted({name for f in paths for name in f["files"]})
    per_file = [[name, *(f["files"].get(name) for f in paths)] for name in files]
    return text + "\n" + table("per file, seconds", ["file", *(f["path"] for f in paths)],
                                per_file)
