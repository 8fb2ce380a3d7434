"""The columnar ingest path: a contract CSV read in chunks and parsed column-wise.

`parsed_rows` yields the same (row, raw cells, record, errors) as reading the file with
`CsvFile.rows` and calling `Loader.parse_row` on each row, and puts the unreadable
rows' rejections in the list in the same order; `GRAPHFRAUD_COLUMNAR=0` switches back to
the per-row path (the benchmarks run both).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from graphfraud.ingest.columnar.parse import parse_chunk
from graphfraud.ingest.columnar.read import CHUNK_ROWS, read_chunks
from graphfraud.ingest.framework import CsvFile, Loader, Rejection

Parsed = tuple[int, Callable[[], dict[str, str]], dict[str, Any] | None, list[tuple[str, str]]]


def enabled() -> bool:
    """Whether CSV files take the columnar path (the default)."""
    return os.environ.get("GRAPHFRAUD_COLUMNAR", "1") != "0"


def parsed_rows(loader: Loader, csv_file: CsvFile, rejections: list[Rejection],
                chunk_rows: int = CHUNK_ROWS) -> Iterator[Parsed]:
    """Every readable row's (number, raw cells as a dict on demand, record or None,
    errors), in file order; an unreadable row's rejection is appended to `rejections`
    when the rows before it have been yielded."""
    header = csv_file.header
    for chunk in read_chunks(csv_file, chunk_rows):
        parsed = parse_chunk(loader, header, chunk.cells)
        pending = sorted(chunk.rejected.items())
        p = 0
        for n, cells, (rec, errors) in zip(chunk.numbers, chunk.cells, parsed, strict=True):
            while p < len(pending) and pending[p][0] < n:
                rejections.append(pending[p][1])
                p += 1
            yield n, _raw(header, cells), rec, errors
        rejections.extend(r for _, r in pending[p:])


def _raw(header: list[str], cells: list[str]) -> Callable[[], dict[str, str]]:
    return lambda: dict(zip(header, cells, strict=True))
