"""Column-wise measures over the movements table (Polars): instants, distances, speeds.

The detectors decide on whole columns at once and then check the few rows that pass with
the row-wise functions of `geo` and `diversion`, which make the explanations. A column
test here is a *prefilter*: it lets through every row the row-wise test could flag (a
margin covers the last bits where vectorised floating point may differ from `math`), so
the findings are exactly those of the row-wise tests.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pyarrow as pa

from graphfraud.detect.geo import parse_instant

#: the columns of `signal_movements` (with its lines joined) and their types; a column a
#: hand-built input leaves out is null
MOVEMENT_SCHEMA: dict[str, pl.DataType] = {
    "arc": pl.String(), "consignor": pl.String(), "consignee": pl.String(),
    "destination_type": pl.String(), "origin_type": pl.String(),
    "dispatched_at": pl.String(), "received_at": pl.String(), "journey_time": pl.String(),
    "status": pl.String(), "receipt_conclusion": pl.String(),
    "destination_changes": pl.Int64(), "from_lat": pl.Float64(), "from_lon": pl.Float64(),
    "to_lat": pl.Float64(), "to_lon": pl.Float64(), "to_address": pl.String(),
    "delivery_place": pl.String(), "plates": pl.List(pl.String()),
    "epcs": pl.List(pl.String()), "brands": pl.List(pl.String()),
    "quantity": pl.Float64(), "short_lines": pl.Int64(),
}
#: relative slack of a prefilter on distances and speeds (math and Polars differ by ulps)
SLACK = 1e-9
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
EARTH_KM = 6371.0088  # as geo.haversine_km


def movement_frame(table: pa.Table) -> pl.DataFrame:
    """The movements as a Polars frame of `MOVEMENT_SCHEMA`, in the table's row order,
    with `_i` (the row's position: 'the order the query gave')."""
    frame = pl.from_arrow(table) if table.num_columns else pl.DataFrame()
    assert isinstance(frame, pl.DataFrame)
    cols = []
    for name, dtype in MOVEMENT_SCHEMA.items():
        if name in frame.columns:
            cols.append(pl.col(name).cast(dtype, strict=False))
        else:
            cols.append(pl.lit(None, dtype).alias(name))
    if not frame.columns:
        return pl.DataFrame(schema={**MOVEMENT_SCHEMA, "_i": pl.Int64()})
    return frame.select(cols).with_row_index("_i").with_columns(pl.col("_i").cast(pl.Int64))


def present(name: str) -> pl.Expr:
    """Python's truth of a text cell: not null and not ''."""
    return pl.col(name).is_not_null() & (pl.col(name) != "")


def nonzero(name: str) -> pl.Expr:
    """Python's truth of a number cell: not null and not 0."""
    return pl.col(name).is_not_null() & (pl.col(name) != 0)


def energy_only() -> pl.Expr:
    """`diversion_product.energy_only`: lines, and every product code an energy one (E…)."""
    epcs = pl.col("epcs")
    return (epcs.list.len().fill_null(0) > 0) & epcs.list.eval(
        pl.element().str.starts_with("E")).list.all().fill_null(False)


def instants_us(frame: pl.DataFrame, name: str) -> pl.Series:
    """`geo.parse_instant` of a text column as microseconds since the epoch (UTC); the two
    forms EMCS data has here are parsed column-wise, any other through `parse_instant`."""
    text = frame.get_column(name)
    fast = frame.select(
        pl.when(pl.col(name).str.len_chars() == 10)
        .then(pl.col(name).str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%d", strict=False))
        .when((pl.col(name).str.len_chars() == 20) & pl.col(name).str.ends_with("Z"))
        .then(pl.col(name).str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%SZ",
                                        strict=False))
        .dt.epoch("us").alias(name)).get_column(name)
    missed = (fast.is_null() & text.is_not_null() & (text != "")).arg_true()
    if missed.len():
        values = fast.to_list()
        for i in missed.to_list():
            got = parse_instant(text[i])
            values[i] = None if got is None else (got - _EPOCH) // _US
        fast = pl.Series(name, values, pl.Int64)
    return fast


def day_end_us(received_us: pl.Expr, received_text: pl.Expr) -> pl.Expr:
    """A receipt dated by day read as 23:59 of that day (the reading most favourable to
    the trader, as `diversion.too_fast` does)."""
    return pl.when(received_text.str.len_chars() == 10) \
        .then(received_us + (23 * 60 + 59) * 60_000_000).otherwise(received_us)


def haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Great-circle km, column-wise (`geo.haversine_km`'s formula; for prefilters)."""
    p1, p2 = lat1.radians(), lat2.radians()
    dp, dl = p2 - p1, (lon2 - lon1).radians()
    a = (dp / 2).sin() ** 2 + p1.cos() * p2.cos() * (dl / 2).sin() ** 2
    return 2 * EARTH_KM * a.sqrt().arcsin()


def could_be_faster(km: pl.Expr, hours: pl.Expr, min_km: float, max_kmh: float) -> pl.Expr:
    """`km > min_km and hours < km / max_kmh` with slack (a prefilter, see the module)."""
    return (km > min_km * (1 - SLACK)) & (hours < km / max_kmh * (1 + SLACK) + SLACK)
