"""What every loader shares: reading a contract CSV, validating each row, quarantining
what fails, and turning good rows into batched upserts.

A loader declares its columns (parser, required) and maps one valid row to graph
operations: `(write, row)` pairs, the write typed by the model
(`graphfraud.model.operations`; the store runs it as its generated statement in
`cypher/load/`). The runner (`ingest.run`) sends them in batches, in the loader's query
order, so nodes exist before the relationships that need them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from graphfraud.ingest.fields import MAX_TEXT_CHARS, FieldError, Parser, _env_int
from graphfraud.model.operations import Op, Write, link_write, node_write

#: the largest cell the reader takes, in characters; a larger one makes its row
#: unparseable (quarantined, the file goes on). A 50 MB cell once stopped a whole run.
MAX_FIELD_CHARS = _env_int("GRAPHFRAUD_MAX_FIELD_CHARS", 1_000_000)
csv.field_size_limit(MAX_FIELD_CHARS)
#: a raw cell is cut to this many characters in the quarantine file
QUARANTINE_CELL_CHARS = 1_000


class FileUnreadable(RuntimeError):
    """A whole file cannot be loaded (empty, missing required columns, not CSV)."""


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False


@dataclass
class Rejection:
    """A quarantined row: where it was and why."""

    file: str
    row: int  # 1-based data row number (the header is row 0)
    field: str
    reason: str
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class RefIndex:
    """Ids known so far (from the graph and from good rows of this run), to tell a
    dangling reference from a good one."""

    traders: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    premises: set[str] = field(default_factory=set)
    machines: set[str] = field(default_factory=set)
    licences: set[str] = field(default_factory=set)
    trader_by_kvk: dict[str, str] = field(default_factory=dict)
    trader_by_excise: dict[str, str] = field(default_factory=dict)
    premise_by_excise: dict[str, str] = field(default_factory=dict)
    operator_of_premise: dict[str, str] = field(default_factory=dict)

    def trader_for_excise(self, excise: str) -> str | None:
        """The trader behind an excise number: its own, or the operator of a tax warehouse."""
        if excise in self.trader_by_excise:
            return self.trader_by_excise[excise]
        premise = self.premise_by_excise.get(excise)
        return self.operator_of_premise.get(premise) if premise else None


class Loader:
    """One contract file. Subclasses set the class attributes and `operations`."""

    file_name: str = ""
    legal_basis: str = ""
    columns: tuple[Column, ...] = ()
    #: the writes in the order they must run within a batch (`batch.writes_in` also
    #: takes a generated statement's name, for callers outside the loaders)
    query_order: tuple[Write, ...] = ()
    #: columns that make a row unique in the file (duplicates are quarantined)
    key_columns: tuple[str, ...] = ()
    #: whether `operations` reads nothing from the reference index (so the records can
    #: be turned into statement rows elsewhere: `ingest.batch.RecordBatch`)
    refs_free: bool = False
    #: the parts of the reference index that `check_refs`, `register` and `operations`
    #: read (`ingest.references`); a store-backed index reads only these from the graph
    references: frozenset[str] = frozenset({"excise", "traders", "persons", "premises",
                                            "machines"})

    # -- validation ---------------------------------------------------------------------
    def parse_row(self, raw: dict[str, str]) -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
        """Parse every known column; unknown columns are kept as text properties."""
        errors: list[tuple[str, str]] = []
        rec: dict[str, Any] = {}
        known = self.known_columns
        for col in self.columns:
            cell = raw.get(col.name, "")
            if col.required and not cell.strip():
                errors.append((col.name, "required value is missing"))
                continue
            try:
                rec[col.name] = col.parse(cell)
            except FieldError as exc:
                errors.append((col.name, str(exc)))
        extras = {k: v.strip() for k, v in raw.items() if k not in known and v.strip()}
        for k, v in extras.items():
            if len(v) > MAX_TEXT_CHARS:
                errors.append((k, f"text of {len(v):,} characters; at most "
                                  f"{MAX_TEXT_CHARS:,} (GRAPHFRAUD_MAX_TEXT_CHARS)"))
        if extras:
            rec["_extra"] = extras
        if not errors:
            errors.extend(self.check(rec))
        return (None if errors else rec), errors

    @cached_property
    def known_columns(self) -> frozenset[str]:
        """The declared column names, computed once per loader (asked on every row)."""
        return frozenset(c.name for c in self.columns)

    def check(self, rec: dict[str, Any]) -> list[tuple[str, str]]:
        """Checks across fields (dates in order, …). Default: none."""
        return []

    def check_refs(self, rec: dict[str, Any], refs: RefIndex) -> list[tuple[str, str]]:
        """References to ids that must exist. Default: none."""
        return []

    def register(self, rec: dict[str, Any], refs: RefIndex) -> None:
        """Record the ids this good row brings, for later rows and files."""

    def operations(self, rec: dict[str, Any], refs: RefIndex) -> list[Op]:
        raise NotImplementedError

    def row_key(self, rec: dict[str, Any]) -> tuple[Any, ...] | None:
        return tuple(map(rec.get, self.key_columns)) if self.key_columns else None


# -- helpers for operations -------------------------------------------------------------
def props(rec: dict[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The named fields that are known (None is unknown and never overwrites a value)."""
    out = {n: rec[n] for n in names if rec.get(n) is not None}
    for k, v in (rec.get("_extra") or {}).items():
        out.setdefault(k, v)
    return out


def node(label: str, key: str, properties: dict[str, Any] | None = None) -> Op:
    return node_write(label), {"key": key, "props": {k: v for k, v in (properties or {}).items()
                                                     if v is not None}}


def link(rel: str, start_label: str, start: str, end_label: str, end: str,
         properties: dict[str, Any] | None = None, **key: Any) -> Op:
    row: dict[str, Any] = {"start": start, "end": end,
                           "props": {k: v for k, v in (properties or {}).items()
                                     if v is not None}}
    row.update(key)
    return link_write(rel, start_label, end_label), row


# -- reading ----------------------------------------------------------------------------
@dataclass
class CsvFile:
    """A contract CSV opened for streaming: header checked, rows as dicts."""

    path: Path
    header: list[str]

    def rows(self, rejections: list[Rejection]) -> Iterator[tuple[int, dict[str, str]]]:
        """(data row number, cells by lower-case column name); bad rows go to rejections."""
        for n, cells in self.cells():
            if isinstance(cells, Rejection):
                rejections.append(cells)
                continue
            cells_d = dict(zip(self.header, cells, strict=False))
            bad = screen_row(self.path.name, n, cells, cells_d, self.header)
            if bad is not None:
                rejections.append(bad)
                continue
            yield n, cells_d

    def cells(self) -> Iterator[tuple[int, list[str] | Rejection]]:
        """(data row number, cells) of every non-blank row, or the rejection of a row
        the CSV reader cannot split; blank lines count in the numbers."""
        with open(self.path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape",
                                    newline="")
            reader = csv.reader(text, strict=False)
            try:
                next(reader, None)
            except csv.Error:
                pass  # the header was checked by open_csv
            n = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:  # e.g. a cell over MAX_FIELD_CHARS
                    n += 1
                    yield n, Rejection(self.path.name, n, "", (
                        f"unparseable row ending on line {reader.line_num}: {exc}"
                        f" (largest cell: {MAX_FIELD_CHARS:,} characters, "
                        "GRAPHFRAUD_MAX_FIELD_CHARS)"))
                    continue
                n += 1
                if not cells or (not cells[0].strip() and all(not c.strip() for c in cells)):
                    continue  # blank line
                yield n, cells


def screen_row(file_name: str, n: int, cells: list[str], cells_d: dict[str, str],
               header: list[str]) -> Rejection | None:
    """The rejection of a non-blank row that cannot be read as data (a control
    character, not UTF-8, the wrong number of cells, a repeated header), in that order of
    checks; None for a readable row. Shared by this reader and `ingest.columnar`."""
    control = _control_character(cells, cells_d)
    if control:
        return Rejection(file_name, n, control[0], control[1], _safe(cells_d))
    if _row_has_surrogates(cells):
        return Rejection(file_name, n, _bad_field(cells_d), "not UTF-8: wrong encoding",
                         _safe(cells_d))
    width = len(header)
    if len(cells) != width:
        return Rejection(file_name, n, "", f"row has {len(cells)} cells, the header has "
                         f"{width}" + (" (extra columns)" if len(cells) > width else ""),
                         _safe(cells_d))
    if _is_header(cells, header):
        return Rejection(file_name, n, "", "repeated header row", _safe(cells_d))
    return None


_SURROGATE = re.compile("[\udc80-\udcff]")


def _has_surrogates(value: str) -> bool:
    """Whether `value` holds bytes that were not UTF-8 (read as lone surrogates).

    Asked of every cell: ASCII text (nearly all of it) is answered by `isascii`, the rest
    by one regular-expression scan, both in C."""
    return not value.isascii() and _SURROGATE.search(value) is not None


#: C0 controls but tab, line feed and carriage return; DEL; C1 controls. A NUL byte
#: stopped the embedded engine's whole ingest (its strings end at NUL).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control_character(cells: list[str], cells_d: dict[str, str]) -> tuple[str, str] | None:
    """(field, reason) for the first control character of a row, None if it has none.
    One scan of the joined row in C for the usual clean row."""
    if not _CONTROL.search("".join(cells)):
        return None
    for name, value in cells_d.items():
        m = _CONTROL.search(value)
        if m:
            ch = m.group()
            what = "NUL byte" if ch == "\x00" else f"control character U+{ord(ch):04X}"
            return name, f"{what} at character {m.start() + 1} of the cell"
    return "", "control character in a cell beyond the header's columns"


def _row_has_surrogates(cells: list[str]) -> bool:
    return not all(map(str.isascii, cells)) and any(map(_has_surrogates, cells))


def _is_header(cells: list[str], header: list[str]) -> bool:
    """A repeated header row (a concatenated export); the first cell decides most rows."""
    return (cells[0].strip().lower() == header[0]
            and [c.strip().lower() for c in cells] == header)


def _bad_field(cells: dict[str, str]) -> str:
    return next((k for k, v in cells.items() if _has_surrogates(v)), "")


def _safe(cells: dict[str, str]) -> dict[str, str]:
    return {k: v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            for k, v in cells.items()}


def open_csv(path: Path, loader: Loader) -> CsvFile:
    """Open and check the header; FileUnreadable says why the whole file cannot load."""
    if path.stat().st_size == 0:
        raise FileUnreadable(f"{path.name}: empty file (no header)")
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape",
                                newline="")
        try:
            header = next(csv.reader(text), None)
        except csv.Error as exc:
            raise FileUnreadable(f"{path.name}: not a CSV file: {exc}") from exc
    if not header or all(not h.strip() for h in header):
        raise FileUnreadable(f"{path.name}: empty file (no header)")
    names = [h.strip().lower() for h in header]
    if any(_has_surrogates(h) for h in names):
        raise FileUnreadable(f"{path.name}: header is not UTF-8")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise FileUnreadable(f"{path.name}: duplicate header column(s) {dupes}: cannot tell "
                             "which one holds the value")
    missing = [c.name for c in loader.columns if c.required and c.name not in names]
    if missing:
        raise FileUnreadable(f"{path.name}: required column(s) missing from the header: "
                             f"{missing}")
    return CsvFile(path, names)


def _cut(raw: dict[str, str]) -> dict[str, str]:
    """Raw cells for the quarantine file: a huge cell is cut, saying how long it was."""
    return {k: v if len(v) <= QUARANTINE_CELL_CHARS else
            f"{v[:QUARANTINE_CELL_CHARS]}… ({len(v):,} characters)" for k, v in raw.items()}


def write_quarantine(directory: Path, file_name: str, rejections: list[Rejection]) -> Path | None:
    """Rewrite `<file>.csv` in the quarantine folder (a re-run never duplicates entries)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / (file_name if file_name.endswith(".csv") else f"{file_name}.csv")
    if not rejections:
        target.unlink(missing_ok=True)
        return None
    with open(target, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "row", "field", "reason", "raw"])
        for r in rejections:
            writer.writerow([r.file, r.row, r.field, r.reason,
                             json.dumps(_cut(r.raw), ensure_ascii=False, sort_keys=True)])
    return target
