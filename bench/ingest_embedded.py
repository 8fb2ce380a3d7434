"""Benchmark 2: ingest into the embedded graph (FalkorDB): rows/s, with the time spent
parsing and validating the files apart from the time spent loading (inside the store's
upserts) and entity resolution. Target: the large world loads in < 60 s after parsing.

Two paths, each into its own home:
- the ordinary ingest (`graphfraud ingest`: batched MERGE statements, resumable, for every
  delivery); its home is kept as the loaded embedded graph for the detection and query
  benchmarks;
- the bulk initial load (`graphfraud ingest --bulk`: the same pipeline parses into memory,
  then FalkorDB's GRAPH.BULK creates the graph and the indexes are built), for a first
  load into an empty graph. Its "load" is GRAPH.BULK plus the indexes.
"""

from __future__ import annotations

import traceback
from typing import Any

from bench.common import data_rows, embedded_server, fresh_copy, home, rate, table, world
from bench.loaded import load_fresh


def run_bulk(scale: str, rows: int) -> dict[str, Any]:
    from graphfraud.ingest.bulk import bulk_ingest
    from graphfraud.store import open_store

    with embedded_server(home(f"ingest-embedded-{scale}-bulk")) as settings:
        store = open_store(settings, "embedded")
        try:
            store.clear()
            report = bulk_ingest(store, fresh_copy(world(scale), f"{scale}-embedded-bulk"))
            fig = {"seconds": report.ingest.seconds,
                   "parse_seconds": report.parse_seconds,
                   "bulk_seconds": report.load_seconds,
                   "index_seconds": report.index_seconds,
                   "load_seconds": round(report.load_seconds + report.index_seconds, 3),
                   "batches": report.batches, "nodes": report.nodes,
                   "relationships": report.relationships}
        finally:
            store.close()
    fig["rows"] = rows
    fig["rows_per_s"] = rate(rows, fig["seconds"])
    fig["load_rows_per_s"] = rate(rows, fig["load_seconds"])
    return fig


def run(scale: str) -> dict[str, Any]:
    rows = sum(data_rows(world(scale)).values())
    fig = load_fresh("embedded", scale)
    fig["rows"] = rows
    fig["rows_per_s"] = rate(rows, fig["seconds"])
    fig["load_rows_per_s"] = rate(rows, fig["load_seconds"])
    try:
        bulk = run_bulk(scale, rows)
    except Exception as exc:  # noqa: BLE001 - keep the ingest's figures, say what failed
        traceback.print_exc()
        return {"embedded": fig, "bulk": None, "bulk_error": f"{type(exc).__name__}: {exc}"}
    bulk["same_graph_size"] = (bulk["nodes"], bulk["relationships"]) == (
        fig["nodes"], fig["relationships"])
    target = {"load_seconds_large": "< 60", "bulk_load_seconds": bulk["load_seconds"],
              "met_by": [name for name, f in (("ingest", fig), ("bulk", bulk))
                         if scale == "large" and f["load_seconds"] < 60]}
    return {"embedded": fig, "bulk": bulk, "target": target}


def render(result: dict[str, Any], scale: str) -> str:
    f, b = result["embedded"], result.get("bulk")
    rows = [["ingest (MERGE batches)", f["rows"], f["seconds"], f["parse_seconds"],
             f["load_seconds"], f["resolve_seconds"], f["rows_per_s"], f["load_rows_per_s"],
             f["nodes"], f["relationships"]]]
    if b:
        rows.append(["bulk initial load", b["rows"], b["seconds"], b["parse_seconds"],
                     b["load_seconds"], None, b["rows_per_s"], b["load_rows_per_s"],
                     b["nodes"], b["relationships"]])
    text = table(f"Ingest into the embedded graph — {scale} (target: large loads in < 60 s "
                 "after parsing)",
                 ["path", "rows", "total s", "parse s", "load s", "ER s", "rows/s",
                  "rows/s (load)", "nodes", "rels"], rows)
    if result.get("bulk_error"):
        text += f"\nbulk initial load failed: {result['bulk_error']}"
    if b:
        text += (f"\nbulk load = GRAPH.BULK {b['bulk_seconds']} s in {b['batches']} calls + "
                 f"indexes {b['index_seconds']} s; the bulk path's parse includes entity "
                 f"resolution; same graph size as the ingest: {b['same_graph_size']}")
    return text
