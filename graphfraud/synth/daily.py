"""A next day's delivery cut from a generated world: its last movement lines under new
ARCs and an empty register, so an ingest onto the loaded world adds that many movements
and resolves their names again. Used by the daily-delivery benchmarks and the tests of
what a delivery after a first load costs."""

from __future__ import annotations

import csv
from collections import deque
from pathlib import Path

DAILY_ROWS = 10_000


def daily_delivery(src: Path, out: Path, rows: int = DAILY_ROWS, prefix: str = "26") -> Path:
    """`rows` movement lines from the end of `src`'s movements.csv under new ARCs (their
    first two digits `prefix`), with an empty traders.csv beside them, in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with open(src / "traders.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with open(out / "traders.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(header)
    with open(src / "movements.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        head = next(reader)
        tail = list(deque(reader, maxlen=rows))  # the last lines only: xlarge's 9.9M
        # lines held whole took the xlarge daily step past 10 GiB before it ingested a row
    arc = head.index("arc")
    for row in tail:
        row[arc] = prefix + row[arc][2:]
    with open(out / "movements.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(head)
        writer.writerows(tail)
    return out
