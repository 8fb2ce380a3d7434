"""A contract CSV read in chunks of rows, for the columnar parse.

The cells are split by the same `csv` reader, with the same options, as the per-row
reader (`ingest.framework.CsvFile.rows`), so quoting, line ends and row numbers are the
same by construction. What differs is where the row checks run: a chunk's columns are
scanned at once (one regular expression over each column's joined text for control
characters, `str.isascii` for encoding trouble) and only the few rows a scan flags are
screened one by one, with the per-row reader's own `screen_row`. The usual clean chunk is
cleared by one scan of its whole text (`_clean_text`) before any column is joined, and
its columns, transposed once for the header check, are kept for the parse
(`Chunk.columns`), with the length of its longest row (`Chunk.longest`: the text
columns need not measure each cell when no row is longer than a text may be).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from graphfraud.ingest.framework import CsvFile, Rejection, screen_row

#: rows per chunk: big enough that the column work amortises, small enough to stream
CHUNK_ROWS = 50_000

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\udc80-\udcff]")
#: the bytes of UTF-8 text that are no control character of `_CONTROL` by themselves:
#: tab, line feed, carriage return, printable ASCII, and every byte >= 0x80 (a C1 control
#: is encoded as 0xC2 0x80-0x9F, and any 0xC2 sends the chunk to the column scans)
_PLAIN_BYTES = bytes(b for b in range(256) if b in (9, 10, 13) or 0x20 <= b <= 0x7e
                     or b >= 0x80)


@dataclass
class Chunk:
    """Readable rows of one chunk (row numbers and cells, in file order) and the
    rejections of the chunk's unreadable rows, by row number."""

    numbers: list[int] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    rejected: dict[int, Rejection] = field(default_factory=dict)
    #: the cells transposed (one list per header column), when `_screen` made them
    columns: list[list[str]] | None = None
    #: no cell of the chunk is longer than this (its longest row's text), when known
    longest: int | None = None


def read_chunks(csv_file: CsvFile, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """The file's data rows in chunks; blank lines are skipped (they still count in the
    row numbers), unreadable rows are in `Chunk.rejected` with the per-row reader's
    reason."""
    name, header = csv_file.path.name, csv_file.header
    width = len(header)
    chunk = Chunk()
    odd: list[tuple[int, list[str]]] = []
    for n, cells in csv_file.cells():
        if isinstance(cells, Rejection):
            chunk.rejected[n] = cells
            continue
        if len(cells) != width:
            odd.append((n, cells))
        else:
            chunk.numbers.append(n)
            chunk.cells.append(cells)
        if len(chunk.numbers) + len(odd) >= chunk_rows:
            yield _screen(chunk, odd, name, header)
            chunk, odd = Chunk(), []
    if chunk.numbers or odd or chunk.rejected:
        yield _screen(chunk, odd, name, header)


def _screen(chunk: Chunk, odd: list[tuple[int, list[str]]], name: str,
            header: list[str]) -> Chunk:
    """Move the chunk's unreadable rows to `rejected`: rows of the wrong width always,
    others only where a column scan flags them."""
    for n, cells in odd:
        bad = screen_row(name, n, cells, dict(zip(header, cells, strict=False)), header)
        assert bad is not None  # a row of the wrong width is always rejected
        chunk.rejected[n] = bad
    if not chunk.cells:
        return chunk
    flagged: set[int] = set()
    columns = [list(c) for c in zip(*chunk.cells, strict=True)]
    rows = list(map("".join, chunk.cells))
    chunk.longest = max(map(len, rows))
    if not _clean_text("".join(rows)):
        for col in columns:
            joined = "".join(col)
            if _CONTROL.search(joined) or (not joined.isascii()
                                           and _SURROGATE.search(joined)):
                flagged.update(i for i, v in enumerate(col)
                               if _CONTROL.search(v) or _SURROGATE.search(v))
    first = header[0]
    flagged.update(i for i, v in enumerate(columns[0]) if v.strip().lower() == first)
    chunk.columns = columns
    if flagged:
        keep = []
        for i, (n, cells) in enumerate(zip(chunk.numbers, chunk.cells, strict=True)):
            bad = screen_row(name, n, cells, dict(zip(header, cells, strict=True)),
                             header) if i in flagged else None
            if bad is None:
                keep.append(i)
            else:
                chunk.rejected[n] = bad
        chunk.numbers = [chunk.numbers[i] for i in keep]
        if len(keep) < len(chunk.cells):  # rows went: the kept columns no longer fit
            chunk.columns = None
        chunk.cells = [chunk.cells[i] for i in keep]
    return chunk


def _clean_text(text: str) -> bool:
    """Whether `text` surely holds no control character of `_CONTROL` and no byte that
    was not UTF-8 (a lone surrogate): encoded in C, the surrogates fail the encoding, and
    what is left after deleting `_PLAIN_BYTES` is a control character. False (scan the
    columns) also where a 0xC2 byte might begin a C1 control."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return b"\xc2" not in data and not data.translate(None, _PLAIN_BYTES)
