"""Item 4 of issue 20, out of core: the read and vectorised field checks of movements.csv
in Polars, once in memory (`read_csv`, then the checks) and once with Polars' streaming
engine (`scan_csv(...).sink_parquet`), which holds a bounded window of the file whatever
its size. Run in a process of its own by `bench/xlarge.py polars SCALE MODE` so its peak
RSS is the stage's alone.

The checks are the contract's field rules for a movement line, as vectorised Polars
expressions on text columns (the identifier patterns from `graphfraud.model.types`,
ISO dates and date-times, numbers, codes): each row gets a `bad_fields` count; the
typed columns and that count are what the stage hands on (Parquet, on disk).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from graphfraud.model.types import arc, codes, excise

DATE = r"^\d{4}-\d{2}-\d{2}$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"


def _pattern(pattern: Any) -> str:
    return pattern.pattern if hasattr(pattern, "pattern") else str(pattern)


def checks() -> list[Any]:
    """(column, expression that is true where the cell breaks the rule)."""
    import polars as pl

    def bad(col: str, regex: str, required: bool = True) -> Any:
        c = pl.col(col)
        miss = c.is_null() | (c == "")
        wrong = ~c.str.contains(regex).fill_null(True)
        return (miss if required else pl.lit(False)) | (~miss & wrong)

    def bad_number(col: str, required: bool = True) -> Any:
        c = pl.col(col)
        miss = c.is_null() | (c == "")
        wrong = c.cast(pl.Float64, strict=False).is_null()
        return (miss if required else pl.lit(False)) | (~miss & wrong)

    return [
        bad("arc", _pattern(arc.PATTERN)),
        bad("consignor_excise_number", _pattern(excise.PATTERN)),
        bad("consignee_excise_number", _pattern(excise.PATTERN), required=False),
        bad("epc", _pattern(codes.EPC)),
        bad("cn_code", _pattern(codes.CN)),
        bad("journey_time", _pattern(codes.JOURNEY)),
        bad("guarantor_type", _pattern(codes.GUARANTOR_TYPE)),
        bad("dispatched_at", DATETIME),
        bad("received_at", DATE, required=False),
        bad("cancelled_at", DATETIME, required=False),
        bad("sequence", r"^[1-9][0-9]*$"),
        bad("line", r"^[1-9][0-9]*$"),
        bad_number("quantity"),
        bad_number("observed_difference", required=False),
    ]


def _typed(frame: Any) -> Any:
    """The checked frame: the flag count and the numeric and date-time columns typed."""
    import polars as pl

    flags = checks()
    return frame.with_columns(
        pl.sum_horizontal([f.cast(pl.UInt8) for f in flags]).alias("bad_fields"),
        pl.col("quantity").cast(pl.Float64, strict=False),
        pl.col("sequence").cast(pl.Int32, strict=False),
        pl.col("line").cast(pl.Int32, strict=False),
        pl.col("dispatched_at").str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False),
    )


def _summary(bad: Any, rows: int, seconds: float) -> dict[str, Any]:
    return {"rows": rows, "rows_flagged": int(bad), "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds) if seconds else None}


def check_in_memory(csv_path: Path) -> dict[str, Any]:
    """Read the whole file into memory, then check: memory grows with the file."""
    import polars as pl

    began = time.perf_counter()
    frame = pl.read_csv(csv_path, infer_schema=False)
    typed = _typed(frame)
    flagged = typed.select((pl.col("bad_fields") > 0).sum()).item()
    return {"mode": "in memory (read_csv)", "file_bytes": csv_path.stat().st_size,
            **_summary(flagged, typed.height, time.perf_counter() - began)}


def check_streaming(csv_path: Path, parquet: Path) -> dict[str, Any]:
    """Scan and check in Polars' streaming engine, written to Parquet as it goes."""
    import polars as pl

    parquet.parent.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    _typed(pl.scan_csv(csv_path, infer_schema=False)).sink_parquet(parquet)
    written = time.perf_counter() - began
    counted = pl.scan_parquet(parquet).select(
        pl.len().alias("rows"), (pl.col("bad_fields") > 0).sum().alias("bad")).collect()
    seconds = time.perf_counter() - began
    out = _summary(counted["bad"][0], counted["rows"][0], seconds)
    return {"mode": "streaming (scan_csv.sink_parquet)", "file_bytes": csv_path.stat().st_size,
            "sink_seconds": round(written, 2), "parquet_bytes": parquet.stat().st_size,
            **out}
