"""Field parsing on columns: a chunk's cells as Polars string columns, each declared
column parsed by a vectorised rule, with the per-row parser as the authority.

Why Polars: its string kernels (strip, regex match, casts, date-times with time zones)
run in Rust over Arrow columns, it is one wheel with no server or extension to load
(the product works offline), and its frames convert to the Python values the writers
take in one call per column. pyarrow's compute functions would do the field checks too,
but lack the time-zone-aware parse and the list operations; DuckDB would add SQL text
for what is a few expressions.

The rules are conservative: a cell a rule is sure of gets the very value the per-row
parser (`ingest.fields`) gives; any other cell is handed to that parser, once per
distinct value. A row with any cell the parser refuses, or any cell no rule can judge
(edge whitespace outside ASCII, say), is parsed again by `Loader.parse_row`, so the
quarantine gets the same rows, fields and reasons as the per-row pipeline by
construction; `tests/ingest/test_columnar_parse.py` runs both on the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import polars as pl

from graphfraud.ingest import fields as f
from graphfraud.ingest.fields import MAX_TEXT_CHARS, FieldError, Parser
from graphfraud.ingest.framework import Loader
from graphfraud.model.types import postcode
from graphfraud.resolve import normalize as norm

#: whitespace Python's `str.strip` and Rust's `trim` might not agree on, at a cell's edge
_ODD_EDGE = ("^[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x1c-\x1f]|"
             "[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x1c-\x1f]$")
_ASCII = r"^[\x00-\x7f]*$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_NAIVE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
_UTC = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"
_DECIMAL = r"^-?[0-9]{1,300}(\.[0-9]{1,300})?$"
_INTEGER = r"^-?[0-9]{1,18}$"
_TRUE, _FALSE = ["true", "1", "yes", "ja"], ["false", "0", "no", "nee"]

#: (values, sure) of a stripped string column; `sure` False hands the cell to the parser
Rule = Callable[[pl.Series], tuple[pl.Series, pl.Series]]


def _year_ok(v: pl.Series) -> pl.Series:
    year = v.str.slice(0, 4)
    return (year != "0000") & (year != "9999")


def _date(v: pl.Series) -> tuple[pl.Series, pl.Series]:
    parsed = v.str.to_date("%Y-%m-%d", strict=False)
    sure = v.str.contains(_DATE) & parsed.is_not_null() & _year_ok(v)
    return v, sure


def _datetime(v: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Naive (Europe/Amsterdam, the earlier offset of an ambiguous hour, as Python's
    fold=0) or `Z` date-times; other spellings go to the parser."""
    naive = v.str.contains(_NAIVE) & _year_ok(v)
    utc = v.str.contains(_UTC) & _year_ok(v)
    stamp = v.str.slice(0, 19).str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False,
                                               time_unit="us")
    local = (stamp.dt.replace_time_zone("Europe/Amsterdam", ambiguous="earliest",
                                        non_existent="null")
             .dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    as_utc = stamp.dt.replace_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = pl.select(pl.when(pl.lit(utc)).then(pl.lit(as_utc)).otherwise(pl.lit(local))
                    ).to_series()
    sure = (naive | utc) & out.is_not_null()
    return out, sure


def _date_or_datetime(v: pl.Series) -> tuple[pl.Series, pl.Series]:
    dated, d_sure = _date(v)
    timed, t_sure = _datetime(v)
    short = v.str.len_chars() == 10
    out = pl.select(pl.when(pl.lit(short)).then(pl.lit(dated)).otherwise(pl.lit(timed))
                    ).to_series()
    sure = pl.select(pl.when(pl.lit(short)).then(pl.lit(d_sure)).otherwise(pl.lit(t_sure))
                     ).to_series()
    return out, sure


def _number(lo: float | None = None, hi: float | None = None) -> Rule:
    def rule(v: pl.Series) -> tuple[pl.Series, pl.Series]:
        out = v.cast(pl.Float64, strict=False)
        sure = v.str.contains(_DECIMAL) & out.is_not_null() & out.is_finite()
        if lo is not None:
            sure = sure & (out >= lo)
        if hi is not None:
            sure = sure & (out <= hi)
        return out, sure
    return rule


def _integer(lo: int | None = None, hi: int | None = None) -> Rule:
    def rule(v: pl.Series) -> tuple[pl.Series, pl.Series]:
        out = v.cast(pl.Int64, strict=False)
        sure = v.str.contains(_INTEGER) & out.is_not_null()
        if lo is not None:
            sure = sure & (out >= lo) & (out <= hi)
        return out, sure
    return rule


def _text(limit: int | None) -> Rule:
    def rule(v: pl.Series) -> tuple[pl.Series, pl.Series]:
        sure = v.str.len_chars() <= limit if limit is not None else pl.Series([True] * len(v))
        return v, sure
    return rule


def _boolean(v: pl.Series) -> tuple[pl.Series, pl.Series]:
    low = v.str.to_lowercase()
    out = pl.select(pl.when(pl.lit(low).is_in(_TRUE)).then(True)
                    .when(pl.lit(low).is_in(_FALSE)).then(False)).to_series()
    return out, v.str.contains(_ASCII) & out.is_not_null()


def _code(allowed: frozenset[str], lower: bool) -> Rule:
    members = sorted(allowed)

    def rule(v: pl.Series) -> tuple[pl.Series, pl.Series]:
        out = v.str.to_lowercase() if lower else v
        return out, v.str.contains(_ASCII) & out.is_in(members)
    return rule


def _pattern(regex: str, upper: bool) -> Rule:
    anchored = f"^(?:{regex})$"

    def rule(v: pl.Series) -> tuple[pl.Series, pl.Series]:
        out = v.str.to_uppercase() if upper else v
        return out, v.str.contains(_ASCII) & out.str.contains(anchored)
    return rule


def _postcode_any(v: pl.Series) -> tuple[pl.Series, pl.Series]:
    """A Dutch-looking postcode normalised (and refused if it is not one), any other
    upper-cased: `fields.postcode_any`, with the column-wise `normalize_postcodes`."""
    # the written Dutch form of the value type (its `\s` is only a space among the
    # printable cells this rule is sure of)
    dutch = v.str.contains(postcode.NL_WRITTEN.pattern)
    nl = pl.Series(norm.normalize_postcodes(v.to_list(), "NL"), dtype=pl.String)
    out = pl.select(pl.when(pl.lit(dutch)).then(pl.lit(nl))
                    .otherwise(pl.lit(v.str.to_uppercase()))).to_series()
    sure = v.str.contains(r"^[\x20-\x7e]*$") & (~dutch | nl.is_not_null())
    return out, sure


_PLAIN: dict[Parser, Rule] = {
    f.postcode_any: _postcode_any,
    f.text: _text(MAX_TEXT_CHARS), f._required_text: _text(None), f.date: _date,
    f.datetime: _datetime, f.date_or_datetime: _date_or_datetime, f.number: _number(),
    f.non_negative: _number(0), f.latitude: _number(-90, 90),
    f.longitude: _number(-180, 180), f.integer: _integer(), f.boolean: _boolean,
    f.kvk: _pattern(f.KVK.pattern, False),
}


def rule_for(parser: Parser) -> Rule | None:
    """The vectorised rule of a field parser, None where only the parser itself can say
    (phones, e-mails, plates, postcodes, lists: applied once per distinct cell)."""
    if parser in _PLAIN:
        return _PLAIN[parser]
    spec = getattr(parser, "spec", None)
    if spec is None:
        return None
    kind = spec[0]
    if kind == "int_range":
        return _integer(spec[1], spec[2])
    if kind == "code":
        return _code(spec[1], spec[2])
    if kind == "pattern":
        return _pattern(spec[1], spec[2])
    return None


def _per_value(parser: Parser, cells: list[str], required: bool = False,
               distinct: set[str] | None = None) -> tuple[list[Any], list[bool]]:
    """The parser applied once per distinct cell (`distinct`, the set of `cells` where
    the caller made it): (value, good) per cell; with `required`, a blank cell is not
    good either (judged once per distinct cell too)."""
    seen: dict[str, Any] = {}
    bad: set[str] = set()
    for cell in set(cells) if distinct is None else distinct:
        try:
            seen[cell] = parser(cell)
        except FieldError:
            seen[cell] = None
            bad.add(cell)
            continue
        if required and not cell.strip():
            bad.add(cell)
    values = list(map(seen.__getitem__, cells))  # one pass in C, not three in Python
    return values, [c not in bad for c in cells] if bad else [True] * len(cells)


def parse_column(parser: Parser, cells: list[str], required: bool,
                 longest: int | None = None) -> tuple[list[Any], list[bool]]:
    """(value, good) per cell of one declared column, as `parser` would give them; a
    cell that is not good makes its row go through `Loader.parse_row`. `longest`: no
    cell is longer, where the caller knows (else the cells are measured)."""
    if parser is f.text:  # the parser's own steps, as one list comprehension
        values = [c.strip() or None for c in cells]
        if longest is None:
            longest = max(map(len, cells), default=0)
        good = [v is None or len(v) <= MAX_TEXT_CHARS for v in values] \
            if longest > MAX_TEXT_CHARS else [True] * len(cells)
        if required:
            good = [g and v is not None for g, v in zip(good, values, strict=True)]
        return values, good
    rule = rule_for(parser)
    distinct = set(cells) if rule is not None else None
    if distinct is None or len(distinct) * 5 <= len(cells):
        # few distinct cells (codes, countries, postcodes) or no rule: the parser decides
        return _per_value(parser, cells, required, distinct)
    raw = pl.Series(cells, dtype=pl.String)
    odd = raw.str.contains(_ODD_EDGE)
    v = raw.str.strip_chars()
    empty = v == ""
    out, sure = rule(v)
    sure = (sure | empty) & ~odd
    if required:
        sure = sure & ~empty
    values = pl.select(pl.when(pl.lit(empty)).then(None).otherwise(pl.lit(out))).to_series()
    value_list = values.to_list()
    if sure.all():  # the usual column: the rule was sure of every cell
        return value_list, [True] * len(cells)
    sure_list = sure.to_list()
    unsure = [i for i, s in enumerate(sure_list) if not s]
    # the few cells no rule was sure of: the parser decides, once per distinct cell
    fixed, good = _per_value(parser, [cells[i] for i in unsure], required)
    for i, value, ok in zip(unsure, fixed, good, strict=True):
        if ok:
            value_list[i], sure_list[i] = value, True
    return value_list, sure_list


def _extras(names: list[str], columns: list[list[str]], count: int,
            ) -> tuple[list[dict[str, str]], list[bool]]:
    """Cells of columns beyond the contract, kept as text (stripped, non-empty)."""
    found: list[dict[str, str]] = [{} for _ in range(count)]
    good = [True] * count
    for name, cells in zip(names, columns, strict=True):
        for i, cell in enumerate(cells):
            v = cell.strip()
            if v:
                found[i][name] = v
                if len(v) > MAX_TEXT_CHARS:
                    good[i] = False
    return found, good


@dataclass
class Columns:
    """A chunk's declared columns parsed: values per column (in the loader's order),
    whether each row parsed cleanly, and each row's cells beyond the contract."""

    names: list[str]
    values: list[list[Any]]
    good: list[bool]
    extras: list[dict[str, str]] | None

    def record(self, i: int) -> dict[str, Any]:
        """Row `i` as `Loader.parse_row` makes it (before the loader's `check`)."""
        rec = {name: col[i] for name, col in zip(self.names, self.values, strict=True)}
        if self.extras is not None and self.extras[i]:
            rec["_extra"] = self.extras[i]
        return rec


def parse_columns(loader: Loader, header: list[str], cells: list[list[str]],
                  columns: list[list[str]] | None = None,
                  longest: int | None = None) -> Columns:
    """Every declared column of a chunk parsed column-wise; `columns` are the cells
    transposed and `longest` the longest cell's bound where the reader has them
    (`Chunk.columns`, `Chunk.longest`)."""
    count = len(cells)
    if columns is None:
        columns = [list(c) for c in zip(*cells, strict=True)]
    by_name = dict(zip(header, columns, strict=True))
    blank = [""] * count
    names: list[str] = []
    values: list[list[Any]] = []
    good = [True] * count
    for col in loader.columns:
        vals, ok = parse_column(col.parse, by_name.get(col.name, blank), col.required,
                                longest)
        names.append(col.name)
        values.append(vals)
        if not all(ok):
            good = [a and b for a, b in zip(good, ok, strict=True)]
    known = loader.known_columns
    extra_names = [h for h in header if h not in known]
    extras: list[dict[str, str]] | None = None
    if extra_names:
        extras, ok = _extras(extra_names, [by_name[h] for h in extra_names], count)
        good = [a and b for a, b in zip(good, ok, strict=True)]
    return Columns(names, values, good, extras)


def parse_chunk(loader: Loader, header: list[str], cells: list[list[str]],
                columns: list[list[str]] | None = None, longest: int | None = None,
                ) -> list[tuple[dict[str, Any] | None, list[tuple[str, str]]]]:
    """(record, errors) per row, exactly as `loader.parse_row` of the row's cells;
    `columns` and `longest` as for `parse_columns`."""
    if not cells:
        return []
    cols = parse_columns(loader, header, cells, columns, longest)
    # the records made in C (one dict per row of values), then checked
    records = list(map(dict, map(zip, repeat(cols.names), zip(*cols.values, strict=True))))
    check = loader.check
    if cols.extras is None and all(cols.good):  # the usual chunk: every row parsed
        if type(loader).check is Loader.check:  # no checks across fields
            return [(rec, []) for rec in records]
        return [(None if (errors := check(rec)) else rec, errors) for rec in records]
    out: list[tuple[dict[str, Any] | None, list[tuple[str, str]]]] = []
    for i, rec in enumerate(records):
        if not cols.good[i]:
            out.append(loader.parse_row(dict(zip(header, cells[i], strict=True))))
            continue
        if cols.extras is not None and cols.extras[i]:
            rec["_extra"] = cols.extras[i]
        errors = check(rec)
        out.append((None if errors else rec, errors))
    return out
