"""Benchmark 2: ingest into the embedded graph (FalkorDB): rows/s, with the time spent
parsing and validating the files apart from the time spent loading (inside the store's
upserts) and entity resolution. Target: the large world loads in < 60 s after parsing.
Its home is kept as the loaded embedded graph for the detection and query benchmarks."""

from __future__ import annotations

from typing import Any

from bench.common import data_rows, rate, table, world
from bench.loaded import load_fresh


def run(scale: str) -> dict[str, Any]:
    rows = sum(data_rows(world(scale)).values())
    fig = load_fresh("embedded", scale)
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
