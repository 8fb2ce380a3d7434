"""The columnar ingest path: a contract CSV read in chunks and parsed column-wise.

`parsed_rows` yields the same (row, raw cells, record, errors) as reading the file with
`CsvFile.rows` and calling `Loader.parse_row` on each row, and puts the unreadable
rows' rejections in the list in the same order; `GRAPHFRAUD_COLUMNAR=0` switches back to
the per-row path (the benchmarks run both).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
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
        parsed = parse_chunk(loader, header, chunk.cells, chunk.columns, chunk.longest)
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


def parsed_dicts(loader: Loader, rows: Iterable[tuple[int, dict[str, str]]],
                 chunk_rows: int = CHUNK_ROWS) -> Iterator[Parsed]:
    """Rows already split into cells by name (the folded EMCS rows), parsed column-wise:
    the same (number, raw cells, record, errors) as `Loader.parse_row` of each row, which
    drops the names beginning with `_` (`_source`). A chunk whose rows do not all have
    the same names is parsed row by row."""
    chunk: list[tuple[int, dict[str, str]]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= chunk_rows:
            yield from _dict_chunk(loader, chunk)
            chunk = []
    if chunk:
        yield from _dict_chunk(loader, chunk)


def _dict_chunk(loader: Loader, chunk: list[tuple[int, dict[str, str]]]) -> Iterator[Parsed]:
    names = list(chunk[0][1])
    header = [k for k in names if not k.startswith("_")]
    if any(list(raw) != names for _, raw in chunk) or \
            not all(type(v) is str for _, raw in chunk for v in raw.values()):
        parsed = [loader.parse_row(raw) for _, raw in chunk]
    else:
        parsed = parse_chunk(loader, header, [[raw[k] for k in header] for _, raw in chunk])
    for (n, raw), (rec, errors) in zip(chunk, parsed, strict=True):
        yield n, (lambda raw=raw: raw), rec, errors
