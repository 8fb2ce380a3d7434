"""Profiles behind the gaps: where `detect` and the embedded ingest spend their time.

`python -m bench profile --scale S` writes two cProfile reports (cumulative time, top 40
functions) to `bench/results/`:

- `profile-detect-<S>.txt`: one `detect` on the loaded embedded store (signal reads and
  detectors), the same call the detection benchmark times;
- `profile-parse-<S>.txt`: the ingest pipeline's parse, validation and name resolution
  into an in-memory store (`graphfraud.store.memory.CollectingStore`), so the database's
  share is left out and the Python share is seen alone: the columnar pipeline, then the
  per-row one it replaced (its anchor), in one report;
- `profile-bulk-<S>.txt`: encoding that collected graph into GRAPH.BULK batches (the
  Python share of `ingest --bulk`'s load; nothing is sent).

They are the "profile output attached" for every target the benchmarks report as missed.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from pathlib import Path
from typing import Any

import bench.common as common
from bench.common import fresh_copy, table, world
from bench.loaded import loaded_store

TOP = 40


def _profile(fn, title: str, path: Path) -> float:
    """Run `fn` under cProfile, write the report with `title`; seconds it took."""
    prof = cProfile.Profile()
    began = time.perf_counter()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    seconds = time.perf_counter() - began
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(TOP)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title} ({seconds:.1f} s under the profiler)\n{out.getvalue()}",
                    encoding="utf-8")
    return seconds


def run(scale: str) -> dict[str, Any]:
    from bench.ingest_parse import _per_row
    from graphfraud.detect import runner
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store.falkordb_bulk import bulk_batches
    from graphfraud.store.memory import CollectingStore

    files: dict[str, Any] = {}
    with loaded_store("embedded", scale) as (store, _ingest):
        path = common.RESULTS / f"profile-detect-{scale}.txt"
        seconds = _profile(lambda: runner.detect(store, dataset=scale, write=False),
                           f"cProfile of `detect` on the embedded store, {scale} world", path)
        files["detect"] = {"file": path.name, "seconds": round(seconds, 1)}
    dataset = fresh_copy(world(scale), f"profile-{scale}")
    path = common.RESULTS / f"profile-parse-{scale}.txt"
    anchor = common.RESULTS / f"profile-parse-per-row-{scale}.txt"
    with _per_row():  # the per-row pipeline as it was, the anchor of the columnar one
        per_row = _profile(lambda: ingest_directory(CollectingStore(), dataset, restart=True),
                           "cProfile of the per-row pipeline (GRAPHFRAUD_COLUMNAR=0), "
                           f"{scale} world", anchor)
    collected = CollectingStore()
    seconds = _profile(lambda: ingest_directory(collected, dataset, restart=True),
                       "cProfile of the ingest pipeline's parse/validate/ER with an in-memory "
                       f"store (no database), {scale} world, columnar", path)
    with open(path, "a", encoding="utf-8") as fh:  # one report: both, side by side
        fh.write("\n\n" + anchor.read_text(encoding="utf-8"))
    anchor.unlink()
    files["parse"] = {"file": path.name, "seconds": round(seconds, 1),
                      "per_row_seconds": round(per_row, 1)}
    path = common.RESULTS / f"profile-bulk-{scale}.txt"
    seconds = _profile(lambda: sum(1 for _ in bulk_batches(collected.nodes,
                                                           collected.rels.values())),
                       "cProfile of encoding the collected graph into GRAPH.BULK batches "
                       f"(nothing sent), {scale} world", path)
    files["bulk_encode"] = {"file": path.name, "seconds": round(seconds, 1)}
    return {"profiles": files}


def render(result: dict[str, Any], scale: str) -> str:
    rows = [[k, v["seconds"], v["file"]] for k, v in result["profiles"].items()]
    return table(f"Profiles — {scale} (reports in bench/results/)",
                 ["what", "seconds (profiled)", "report"], rows)
