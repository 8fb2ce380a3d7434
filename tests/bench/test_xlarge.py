"""The xlarge bench's parts that need no server: the memory watchdog, prefix datasets and
the out-of-core check of movements.csv (same flags in memory and streamed)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import bench.xlarge as xlarge
from bench.common import watched
from bench.out_of_core import check_in_memory, check_streaming
from graphfraud.synth import generate_world


def test_the_watchdog_kills_a_step_past_its_memory_limit(tmp_path: Path) -> None:
    grow = "import time\nx = []\nwhile True:\n    x.append(bytearray(8 << 20)); time.sleep(0.01)"
    r = watched([sys.executable, "-c", grow], 200, log=tmp_path / "log", poll_s=0.05,
                timeout_s=60)
    assert r["limit_reached"] and r["returncode"] != 0
    assert 200 < r["peak_rss_mib"] < 1000


def test_the_watchdog_measures_a_step_that_fits(tmp_path: Path) -> None:
    hold = "x = bytearray(300 << 20)\nx[::4096] = b'1' * len(x[::4096])\nimport time; time.sleep(1)"
    r = watched([sys.executable, "-c", hold], 2000, log=tmp_path / "log", poll_s=0.05)
    assert not r["limit_reached"] and r["returncode"] == 0
    assert r["peak_rss_mib"] > 290


def test_a_prefix_dataset_has_the_register_and_the_first_lines(tmp_path: Path,
                                                               monkeypatch) -> None:
    world = tmp_path / "w"
    generate_world("tiny", 5, world)
    monkeypatch.setattr(xlarge, "WORK", tmp_path / "work")
    out = xlarge.prefix_dataset(world, 100)
    rows = list(csv.reader((out / "movements.csv").open(encoding="utf-8", newline="")))
    whole = list(csv.reader((world / "movements.csv").open(encoding="utf-8", newline="")))
    assert rows == whole[:101]
    assert (out / "traders.csv").read_bytes() == (world / "traders.csv").read_bytes()
    assert not (out / "emcs").exists()


def test_out_of_core_flags_the_same_rows_as_the_in_memory_read(tmp_path: Path) -> None:
    world = tmp_path / "w"
    generate_world("tiny", 5, world)
    src = list(csv.DictReader((world / "movements.csv").open(encoding="utf-8", newline="")))
    src[3]["arc"] = "not-an-arc"
    src[7]["quantity"] = "12,5 kg"
    src[9]["dispatched_at"] = ""
    path = tmp_path / "movements.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(src[0]))
        w.writeheader()
        w.writerows(src)
    mem = check_in_memory(path)
    streamed = check_streaming(path, tmp_path / "m.parquet")
    assert mem["rows"] == streamed["rows"] == len(src)
    assert mem["rows_flagged"] == streamed["rows_flagged"] == 3
