"""Benchmark 2: ingest into the embedded graph (FalkorDB): rows/s, with the time spent
parsing and validating the files apart from the time spent loading (inside the store's
upserts) and entity resolution. Target: the large world loads in < 60 s after parsing.
Its home is kept as the loaded embedded graph for the detection and query benchmarks."""

from __future__ import annotations

from typing import Any

from bench.common import data_rows, embedded_server, fresh_copy, home, rate, table, world
from bench.loaded import graph_counts, ingest_timed, marker


def run(scale: str) -> dict[str, Any]:
    from graphfraud.store import open_store

    rows = sum(data_rows(world(scale)).values())
    home_dir = home(f"loaded-embedded-{scale}")
    with embedded_server(home_dir) as settings:
        st = open_store(settings, "embedded")
        try:
            st.clear()
            st.apply_schema()
            fig = ingest_timed(st, fresh_copy(world(scale), f"{scale}-embedded"))
            fig.update(graph_counts(st))
        finally:
            st.close()
    marker(home_dir, scale).write_text("ok\n")
    fig["rows"] = rows
    fig["rows_per_s"] = rate(rows, fig["seconds"])
    fig["load_rows_per_s"] = rate(rows, fig["load_seconds"])
    fig["target"] = {"load_seconds_large": "< 60"}
    return {"embedded": fig}


def render(result: dict[str, Any], scale: str) -> str:
    f = result["embedded"]
    return table(f"Ingest into the embedded graph — {scale}",
                 ["rows", "total s", "parse s", "load s", "ER s", "rows/s", "rows/s (load)",
                  "nodes", "rels"],
                 [[f["rows"], f["seconds"], f["parse_seconds"], f["load_seconds"],
                   f["resolve_seconds"], f["rows_per_s"], f["load_rows_per_s"], f["nodes"],
                   f["relationships"]]])
