"""Column-wise prefilters let through every row the row-wise checks flag (so the
findings are the row-wise ones), and column-wise instants equal `parse_instant`."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from graphfraud.detect import columns, diversion
from graphfraud.detect.geo import parse_instant
from graphfraud.detect.inputs import DetectionInputs

KMH = 80.0


def _rows(n: int = 3000, seed: int = 20) -> list[dict]:
    rng = random.Random(seed)
    base = dt.datetime(2023, 3, 1, tzinfo=dt.UTC)
    out = []
    for i in range(n):
        lat, lon = 52 + rng.uniform(-1, 1), 5 + rng.uniform(-1, 1)
        # distances around the 50 km floor, speeds around the 80 km/h limit
        km = rng.choice([rng.uniform(30, 70), rng.uniform(39.9, 40.1), rng.uniform(50, 400)])
        to_lat = lat + km / 1.25 / 111.2
        start = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        hours = km / KMH * rng.choice([rng.uniform(0.5, 1.5), 1.0, rng.uniform(0.999, 1.001)])
        end = start + dt.timedelta(hours=hours)
        start_text = rng.choice([start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                 start.astimezone(dt.timezone(dt.timedelta(hours=1)))
                                 .isoformat(), start.strftime("%Y-%m-%d")])
        end_text = rng.choice([end.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               None])
        code = rng.choice([f"H{round(hours):02d}", f"D{rng.randrange(0, 3):02d}", "", "X1",
                           None, f"H{max(0, round(hours) - 1)}"])
        out.append({"arc": f"A{i:05d}", "consignor": "W1", "consignee": "C1",
                    "dispatched_at": start_text, "received_at": end_text,
                    "from_lat": lat, "from_lon": lon, "to_lat": to_lat, "to_lon": lon,
                    "journey_time": code})
    return out


def test_prefilters_keep_every_row_the_row_wise_checks_flag():
    rows = _rows()
    frame = DetectionInputs.from_rows({"signal_movements": rows}).movement_frame
    received = frame.with_columns(receiver=pl.col("consignee"))
    for name, test in (("fast", diversion.too_fast),
                       ("declared", diversion.declared_impossible)):
        kept = {r["_k"] for r in diversion._physics_candidates(received, name, KMH)}
        flagged = {k for k, r in enumerate(received.to_dicts()) if test(r, KMH)}
        assert flagged, f"the sample has rows the {name} check flags"
        assert flagged <= kept
        assert len(kept) < len(rows)  # and it is a filter


def test_column_wise_instants_are_parse_instant():
    rows = _rows(500)
    frame = DetectionInputs.from_rows({"signal_movements": rows}).movement_frame
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for name in ("dispatched_at", "received_at"):
        got = columns.instants_us(frame, name).to_list()
        want = [None if parse_instant(r[name]) is None
                else (parse_instant(r[name]) - epoch) // dt.timedelta(microseconds=1)
                for r in rows]
        assert got == want
