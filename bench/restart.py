"""Benchmark: how long the embedded graph takes to come back, after a clean stop and
after a kill -9, before and after the append-only file is compacted (issue #16; target:
< 10 s after a clean stop, < 30 s after a kill -9, medium world).

One home: the world is loaded with the ordinary ingest (`BENCH_RESTART_LOAD=ingest`,
the default: batched MERGE statements, what every delivery runs and what the issue
measured) or the bulk initial load (`=bulk`), without the compaction that now follows a
load, so its log holds the statements as the server saw them ("before"). Each restart is timed from the start command until the server answers
a read; the node and relationship counts must be the same after every restart, and
the graph's fingerprint the same at the end as after the load.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from bench.common import embedded_server, fresh_copy, home, table, world


def _counts(store) -> tuple[int, int]:
    nodes = sum(int(r["nodes"]) for r in store.run("count_by_label"))
    rels = sum(int(r["relationships"]) for r in store.run("count_by_type"))
    return nodes, rels


def _aof(settings) -> dict[str, int]:
    from graphfraud.servers import falkordb_local

    base, incr = falkordb_local._aof_sizes(falkordb_local.paths_for(settings).dir)
    return {"snapshot_bytes": base, "log_bytes": incr}


def _restart(settings, how: str, compact_on_stop: bool) -> float:
    """Stop (`clean` or `kill9`), start again, and the seconds until a read answers."""
    from graphfraud.servers import falkordb_local
    from graphfraud.servers.process import pid_alive, read_pid
    from graphfraud.store import open_store

    paths = falkordb_local.paths_for(settings)
    if how == "clean":
        falkordb_local.stop(settings, timeout_s=600, compact_first=compact_on_stop)
    else:
        time.sleep(1.5)  # appendfsync everysec: what a kill may lose at most
        pid = read_pid(paths.pidfile)
        os.kill(pid, signal.SIGKILL)
        while pid_alive(pid):
            time.sleep(0.02)
    began = time.perf_counter()
    falkordb_local.ensure_running(settings, timeout_s=3600)  # a replay may take long
    store = open_store(settings, "embedded")
    try:
        store.run("count_by_label")
    finally:
        store.close()
    return round(time.perf_counter() - began, 2)


def run(scale: str) -> dict[str, Any]:
    from graphfraud.ingest.bulk import bulk_ingest
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store import open_store
    from graphfraud.store.falkordb_store import FalkorDBStore
    from graphfraud.store.graphhash import graph_fingerprint

    mode = os.environ.get("BENCH_RESTART_LOAD", "ingest")
    load = bulk_ingest if mode == "bulk" else ingest_directory
    result: dict[str, Any] = {"runs": [], "load": mode}
    with embedded_server(home(f"restart-{scale}")) as settings:
        store = open_store(settings, "embedded")
        compact = FalkorDBStore.compact
        FalkorDBStore.compact = lambda self: None  # type: ignore[method-assign]  # "before"
        try:
            store.clear()
            began = time.perf_counter()
            load(store, fresh_copy(world(scale), f"{scale}-restart"))
            result["load_seconds"] = round(time.perf_counter() - began, 1)
        finally:
            FalkorDBStore.compact = compact  # type: ignore[method-assign]
        reference = graph_fingerprint(store)
        counts = _counts(store)
        store.close()
        result.update(nodes=counts[0], relationships=counts[1])
        for phase in ("before", "after"):
            if phase == "after":
                from graphfraud.servers import falkordb_local

                began = time.perf_counter()
                falkordb_local.compact(settings)  # what a load now ends with
                result["compact_seconds"] = round(time.perf_counter() - began, 2)
            for how in ("clean", "kill9"):
                log = _aof(settings)
                seconds = _restart(settings, how, compact_on_stop=phase == "after")
                store = open_store(settings, "embedded")
                same = _counts(store) == counts
                store.close()
                result["runs"].append({"phase": phase, "stop": how, "seconds": seconds,
                                       "same_counts": same, **log})
        store = open_store(settings, "embedded")
        result["same_graph"] = graph_fingerprint(store) == reference
        store.close()
    return result


def render(result: dict[str, Any], scale: str) -> str:
    rows = [[r["phase"], "clean stop" if r["stop"] == "clean" else "kill -9",
             f"{r['seconds']:.1f}", f"{r['snapshot_bytes'] / 1e6:.1f}",
             f"{r['log_bytes'] / 1e6:.1f}", "yes" if r["same_counts"] else "NO"]
            for r in result["runs"]]
    head = (f"{scale} ({result.get('load', 'bulk')} load): {result['nodes']:,} nodes, {result['relationships']:,} relationships, "
            f"loaded in {result['load_seconds']} s; compaction "
            f"{result.get('compact_seconds', '?')} s; same graph at the end: "
            f"{'yes' if result.get('same_graph') else 'NO'}")
    return head + "\n" + table("embedded restart", ["compaction", "stop", "start s",
                                                    "snapshot MB", "log MB", "same counts"],
                               rows)
