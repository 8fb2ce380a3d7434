"""Benchmark: the embedded first load (`ingest --bulk`: parse, validate, resolve, then
GRAPH.BULK and the indexes) and a daily delivery of 10,000 movement lines on top of it,
with the ordinary ingest (MERGE batches), in one run.

Targets (issue 20): the large world's first load < 120 s, the daily delivery < 10 s.
The daily delivery is the world's last 10,000 movement lines under new ARCs (the year
digits changed, so they are new e-ADs of known traders), with an empty trader register
(every delivery carries one).
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path
from typing import Any

from bench.common import WORK, data_rows, embedded_server, fresh_copy, home, rate, table, world

DAILY_ROWS = 10_000


def daily_delivery(src: Path, out: Path, rows: int = DAILY_ROWS) -> Path:
    """`rows` movement lines from the end of `src`'s movements.csv under new ARCs."""
    out.mkdir(parents=True, exist_ok=True)
    with open(src / "traders.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with open(out / "traders.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(header)
    with open(src / "movements.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        head = next(reader)
        tail = list(reader)[-rows:]
    arc = head.index("arc")
    for row in tail:
        row[arc] = "26" + row[arc][2:]
    with open(out / "movements.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(head)
        writer.writerows(tail)
    return out


def run(scale: str) -> dict[str, Any]:
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
            report = bulk_ingest(store, fresh_copy(src, f"{scale}-daily-first"))
            first = {"collected_in": "worker process" if collector.enabled() else "in-process",
                     "load_average_1min": [round(load_before, 2),
                                           round(os.getloadavg()[0], 2)],
                     "seconds": report.ingest.seconds, "parse_seconds": report.parse_seconds,
                     "bulk_seconds": report.load_seconds,
                     "index_seconds": report.index_seconds, "nodes": report.nodes,
                     "relationships": report.relationships, "rows": rows,
                     "rows_per_s": rate(rows, report.ingest.seconds)}
            daily_dir = daily_delivery(src, WORK / "datasets" / f"{scale}-daily-delivery")
            for stale in (daily_dir / ".graphfraud").glob("*"):
                if stale.is_file():
                    stale.unlink()
            began = time.perf_counter()
            daily = ingest_directory(store, daily_dir, restart=True)
            seconds = time.perf_counter() - began
            moved = next(f for f in daily.files if f.file == "movements.csv")
            day = {"seconds": round(seconds, 2), "rows": moved.read, "loaded": moved.loaded,
                   "quarantined": moved.quarantined, "rows_per_s": rate(moved.read, seconds)}
        finally:
            store.close()
    return {"first_load": first, "daily": day,
            "targets": {"first_load_seconds": "< 120", "daily_seconds": "< 10"}}


def render(result: dict[str, Any], scale: str) -> str:
    f, d = result["first_load"], result["daily"]
    rows = [["first load (ingest --bulk)", f["rows"], f["seconds"], f["parse_seconds"],
             round(f["bulk_seconds"] + f["index_seconds"], 2), f["rows_per_s"]],
            [f"daily delivery ({d['rows']:,} movement lines)", d["rows"], d["seconds"], None,
             None, d["rows_per_s"]]]
    return table(f"Embedded first load and a daily delivery — {scale} (targets: < 120 s, "
                 "< 10 s)", ["step", "rows", "seconds", "parse s", "load s", "rows/s"], rows)
