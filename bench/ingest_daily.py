"""Benchmark: the embedded first load (`ingest --bulk`: parse, validate, resolve, then
GRAPH.BULK and the indexes) and a daily delivery of 10,000 movement lines on top of it,
with the ordinary ingest (MERGE batches), in one run.

Targets (issue 20): the large world's first load < 120 s, the daily delivery < 10 s.
The daily delivery is the world's last 10,000 movement lines under new ARCs (the year
digits changed, so they are new e-ADs of known traders), with an empty trader register
(every delivery carries one).

Before and after (issue 20, the delivery only): `BENCH_DAILY_HOME=<a home holding the
loaded graph>` skips the first load; with `BENCH_BASELINE=<a source tree>` (e.g. `git
archive main | tar -x -C /tmp/main`) each tree gets a fresh copy of that home (`cp -a`,
the shared one is never written) and, in a process of its own, ingests two deliveries
one after the other (`BENCH_DAILY_PREFIXES`, default "27,28": the ARCs' first two
digits), each timed with the load average around it; then the graphs' entity-resolution
links, delivery counts and label counts are compared. Without `BENCH_BASELINE` only
this tree runs.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    REPO,
    WORK,
    data_rows,
    embedded_server,
    fresh_copy,
    home,
    rate,
    table,
    world,
)
from graphfraud.synth.daily import DAILY_ROWS, daily_delivery  # noqa: F401  (the bench's)

#: the deliveries in a process of their own, on a copied home, with either source tree:
#: prints one JSON line (per delivery: seconds, rows, what ER matched or kept, the load
#: average before and after; then the background compaction's wait and the graph's
#: digests)
_DELIVERIES = """
import hashlib, json, os, sys, time
from pathlib import Path
from bench.common import embedded_server
from graphfraud.ingest.run import ingest_directory
from graphfraud.store import open_store
import graphfraud.ingest.run as run_module
home_dir, datasets = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
kwargs = {"cache_dir": home_dir / "cache"} if "cache_dir" in \
    run_module.ingest_directory.__code__.co_varnames else {}
out = {"source": run_module.__file__, "deliveries": []}
with embedded_server(home_dir) as settings:
    store = open_store(settings, "embedded")
    try:
        began = time.perf_counter()
        store.run("count_by_label")  # the server is up (its snapshot read) before the clock
        out["server_start_seconds"] = round(time.perf_counter() - began, 2)
        conn = store._db.connection
        for d in datasets:
            waited = time.perf_counter()  # the last one's compaction ends first: a day
            while conn.info("persistence").get("aof_rewrite_in_progress"):  # lies between
                time.sleep(0.05)
            waited = round(time.perf_counter() - waited, 2)
            load_before = os.getloadavg()
            began = time.perf_counter()
            report = ingest_directory(store, d, restart=True, **kwargs)
            seconds = time.perf_counter() - began
            moved = next(f for f in report.files if f.file == "movements.csv")
            out["deliveries"].append({
                "delivery": d.name, "seconds": round(seconds, 2), "rows": moved.read,
                "loaded": moved.loaded, "quarantined": moved.quarantined,
                "movements_seconds": moved.seconds, "resolution": report.resolution,
                "compaction_wait_before_seconds": waited,
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()]})
        began = time.perf_counter()
        while conn.info("persistence").get("aof_rewrite_in_progress"):
            time.sleep(0.05)
        out["compaction_wait_after_seconds"] = round(time.perf_counter() - began, 2)
        def digest(name):
            rows = store.run(name)
            return len(rows), hashlib.sha256(json.dumps(rows, sort_keys=True,
                                                        default=str).encode()).hexdigest()
        out["graph"] = {n: digest(n) for n in ("er_links", "explorer_delivery_counts",
                                               "count_by_label")}
    finally:
        store.close()
print(json.dumps(out))
"""


def installed_layout(tree: Path, out: Path) -> Path:
    """`tree` as the wheel installs it (`[tool.setuptools.package-dir]`: ingest/ is
    `graphfraud.ingest`, ui/ `graphfraud.ui` …), copied under `out`, so a source tree
    other than the installed one imports its own modules and statements only."""
    import shutil
    import tomllib

    mapping = tomllib.loads((tree / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"]
    if out.exists():
        shutil.rmtree(out)
    skip = shutil.ignore_patterns("__pycache__", ".work")
    for package, folder in sorted(mapping.items(), key=lambda kv: kv[0].count(".")):
        shutil.copytree(tree / folder, out.joinpath(*package.split(".")), ignore=skip,
                        dirs_exist_ok=True)
    shutil.copytree(tree / "bench", out / "bench", ignore=skip)
    return out


def _deliveries_once(tree: Path, home_copy: Path, datasets: list[Path]) -> dict[str, Any]:
    """The deliveries with the source tree `tree` in a fresh process (see `_DELIVERIES`)."""
    layout = installed_layout(tree, WORK / "trees" / home_copy.name)
    env = {**os.environ, "PYTHONPATH": str(layout)}
    done = subprocess.run([sys.executable, "-c", _DELIVERIES, str(home_copy),
                           *map(str, datasets)], cwd=layout, env=env, capture_output=True,
                          text=True, check=False)
    subprocess.run(["rm", "-rf", str(layout)], check=True)
    if done.returncode != 0:
        raise RuntimeError(f"deliveries with {tree} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def deliveries_side_by_side(scale: str, kept_home: Path, baseline: Path | None,
                            ) -> dict[str, Any]:
    """Daily deliveries onto copies of `kept_home`: before (the `baseline` tree) and
    after (this tree), one process each, the same datasets."""
    src = world(scale)
    prefixes = os.environ.get("BENCH_DAILY_PREFIXES", "27,28").split(",")
    datasets = []
    for prefix in prefixes:
        out = daily_delivery(src, WORK / "datasets" / f"{scale}-daily-{prefix}",
                             prefix=prefix)
        for stale in (out / ".graphfraud").glob("**/*"):
            if stale.is_file():
                stale.unlink()
        datasets.append(out)
    trees = ([("before", baseline)] if baseline else []) + [("after", REPO)]
    runs: dict[str, Any] = {}
    for label, tree in trees:
        copy = WORK / "homes" / f"daily-{scale}-{label}"
        if copy.exists():
            subprocess.run(["rm", "-rf", str(copy)], check=True)
        subprocess.run(["cp", "-a", str(kept_home), str(copy)], check=True)
        runs[label] = _deliveries_once(tree, copy, datasets)
        subprocess.run(["rm", "-rf", str(copy)], check=True)  # 600 MB a copy
    result: dict[str, Any] = {"kept_home": str(kept_home), "baseline": str(baseline),
                              "runs": runs}
    if baseline:
        result["same_graph"] = {k: runs["before"]["graph"][k] == runs["after"]["graph"][k]
                                for k in runs["after"]["graph"]}
    return result


def run(scale: str) -> dict[str, Any]:
    kept = os.environ.get("BENCH_DAILY_HOME")
    if kept:  # the delivery only, onto a copy of a loaded home
        baseline = os.environ.get("BENCH_BASELINE")
        return {"side_by_side": deliveries_side_by_side(
                    scale, Path(kept), Path(baseline) if baseline else None),
                "targets": {"daily_seconds": "< 10"}}
    return _first_load_and_delivery(scale)


def _first_load_and_delivery(scale: str) -> dict[str, Any]:
    from graphfraud.ingest import collector
    from graphfraud.ingest.bulk import bulk_ingest
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store import open_store

    src = world(scale)
    rows = sum(data_rows(src).values())
    with embedded_server(home(f"ingest-daily-{scale}")) as settings:
        store = open_store(settings, "embedded")
        try:
            store.clear()
            load_before = os.getloadavg()[0]
            dataset = fresh_copy(src, f"{scale}-daily-first")
            cpu, children = time.process_time(), _children_cpu()
            began = time.perf_counter()
            report = bulk_ingest(store, dataset)
            bulk_wall = time.perf_counter() - began  # with the cache left for the delivery
            # the parent's CPU (parse, then relaying GRAPH.BULK) and the collector
            # worker's (it has ended: applying the rows, then encoding GRAPH.BULK)
            cpu, children = time.process_time() - cpu, _children_cpu() - children
            first = {"collected_in": "worker process" if collector.enabled() else "in-process",
                     "load_average_1min": [round(load_before, 2),
                                           round(os.getloadavg()[0], 2)],
                     "seconds": report.ingest.seconds, "parse_seconds": report.parse_seconds,
                     "bulk_seconds": report.load_seconds,
                     "index_seconds": report.index_seconds, "nodes": report.nodes,
                     "relationships": report.relationships, "rows": rows,
                     "rows_per_s": rate(rows, report.ingest.seconds),
                     "parent_cpu_seconds": round(cpu, 2),
                     "worker_cpu_seconds": round(children, 2),
                     "files": {f.file: f.seconds for f in report.ingest.files
                               if f.status == "loaded"},
                     "resolution_and_rest_seconds": round(report.parse_seconds - sum(
                         f.seconds for f in report.ingest.files), 2),
                     "wall_seconds_with_cache_warmed": round(bulk_wall, 2),
                     "load_average_1min_after": round(os.getloadavg()[0], 2)}
            daily_dir = daily_delivery(src, WORK / "datasets" / f"{scale}-daily-delivery")
            for stale in (daily_dir / ".graphfraud").glob("*"):
                if stale.is_file():
                    stale.unlink()
            began = time.perf_counter()
            # as `graphfraud ingest` runs it: entity resolution's cache in the home
            daily = ingest_directory(store, daily_dir, restart=True,
                                     cache_dir=settings.home / "cache")
            seconds = time.perf_counter() - began
            moved = next(f for f in daily.files if f.file == "movements.csv")
            day = {"seconds": round(seconds, 2), "rows": moved.read, "loaded": moved.loaded,
                   "quarantined": moved.quarantined, "rows_per_s": rate(moved.read, seconds),
                   "movements_seconds": moved.seconds, "resolution": daily.resolution,
                   "load_average_1min_after": round(os.getloadavg()[0], 2)}
        finally:
            store.close()
    return {"first_load": first, "daily": day,
            "targets": {"first_load_seconds": "< 120", "daily_seconds": "< 10"}}


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the collector's worker)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _render_side_by_side(result: dict[str, Any], scale: str) -> str:
    sbs = result["side_by_side"]
    rows = []
    for label, r in sbs["runs"].items():
        for d in r["deliveries"]:
            er = d["resolution"]
            rows.append([label, d["delivery"], d["rows"], d["seconds"],
                         er.get("mentions_matched", er.get("mentions")),
                         "/".join(f"{x:.1f}" for x in d["loadavg_before"]),
                         r["compaction_wait_after_seconds"]])
    same = sbs.get("same_graph")
    return table(f"Daily deliveries onto a copy of {sbs['kept_home']} — {scale} (target "
                 f"< 10 s); same graph: {same}",
                 ["tree", "delivery", "rows", "seconds", "ER matched", "load before",
                  "compaction after s"], rows)


def render(result: dict[str, Any], scale: str) -> str:
    if "side_by_side" in result:
        return _render_side_by_side(result, scale)
    f, d = result["first_load"], result["daily"]
    rows = [["first load (ingest --bulk)", f["rows"], f["seconds"], f["parse_seconds"],
             round(f["bulk_seconds"] + f["index_seconds"], 2), f["rows_per_s"]],
            [f"daily delivery ({d['rows']:,} movement lines)", d["rows"], d["seconds"], None,
             None, d["rows_per_s"]]]
    return table(f"Embedded first load and a daily delivery — {scale} (targets: < 120 s, "
                 "< 10 s)", ["step", "rows", "seconds", "parse s", "load s", "rows/s"], rows)
