"""The next day's delivery cut from a world (`graphfraud.synth.daily`): the last lines
under new ARCs, an empty register, and memory that does not grow with the world."""

from __future__ import annotations

import csv
import tracemalloc

from graphfraud.synth.daily import daily_delivery

HEAD = ["arc", "sequence", "line", "consignor_excise_number", "epc", "quantity"]


def _world(tmp_path, lines: int):
    src = tmp_path / "world"
    src.mkdir()
    with open(src / "traders.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["trader_id", "name"], ["T1", "Eén"]])
    with open(src / "movements.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        w.writerows([f"21NL{n:017d}", 1, 1, "NL00000000001", "T200", n] for n in range(lines))
    return src


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_the_last_lines_under_new_arcs_and_an_empty_register(tmp_path):
    out = daily_delivery(_world(tmp_path, 50), tmp_path / "day", rows=3, prefix="27")
    rows = _rows(out / "movements.csv")
    assert rows[0] == HEAD
    assert [r[0] for r in rows[1:]] == [f"27NL{n:017d}" for n in (47, 48, 49)]
    assert [r[5] for r in rows[1:]] == ["47", "48", "49"]
    assert _rows(out / "traders.csv") == [["trader_id", "name"]]


def test_memory_does_not_grow_with_the_world(tmp_path):
    src = _world(tmp_path, 60_000)
    tracemalloc.start()
    try:
        daily_delivery(src, tmp_path / "day", rows=10)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, peak  # all 60,000 lines held would take ~20 MB
