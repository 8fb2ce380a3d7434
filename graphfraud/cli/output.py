"""Rows printed as a table, JSON or CSV: one formatter for every command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def format_rows(rows: Sequence[dict[str, Any]], fmt: str = "table",
                columns: Sequence[str] | None = None) -> str:
    """Rows (dicts) as `fmt`; `columns` fixes the order (default: first row's keys)."""
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in cols} for r in rows], ensure_ascii=False,
                          indent=2, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
    if not cols:
        return "(no rows)"
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line, sep, *body, f"({len(rows)} rows)"])


def safe_rows(rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """For CSV output, cells a spreadsheet would run as formulas are neutralised."""
    if fmt != "csv":
        return rows
    from graphfraud.explore.export import safe_cell

    return [{k: safe_cell(v) for k, v in r.items()} for r in rows]
