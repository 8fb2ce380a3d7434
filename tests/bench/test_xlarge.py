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


def test_the_scaling_plot_draws_the_xlarge_steps_and_the_stopped_ones(tmp_path: Path,
                                                                       monkeypatch) -> None:
    import json

    import bench.scaling as scaling

    steps = {
        "generate-xlarge": {"step": "generate", "args": ["xlarge"], "wall_seconds": 900,
                            "peak_rss_mib": 690, "limit_reached": False, "limit_mib": 10240,
                            "result": {"seconds": 900, "counts": {"movements.csv": 9_000_000,
                                                                  "traders.csv": 250_000,
                                                                  "emcs_xml_lines": 500_000,
                                                                  "truth_cases": 55}}},
        "bulk-2000000": {"step": "bulk", "args": ["2000000"], "wall_seconds": 300,
                         "peak_rss_mib": 10300, "limit_reached": True, "limit_mib": 10240,
                         "input_rows": 3_000_000, "result": None},
    }
    (tmp_path / scaling.XLARGE_STEPS).write_text(json.dumps(steps), encoding="utf-8")
    monkeypatch.setattr(scaling, "RESULTS", tmp_path)
    points = scaling.xlarge_points()
    assert points["generate"] == [{"rows": 9_750_000, "seconds": 900, "peak_mib": 690,
                                   "limit": False, "limit_mib": 10240}]
    assert points["bulk"][0]["limit"] and points["bulk"][0]["rows"] == 3_000_000
    assert points["bulk"][0]["limit_mib"] == 10240  # the cross names its own watchdog
    out = scaling.plot([{"scale": "tiny", "rows": 3000, "embedded_seconds": 1.5}],
                       tmp_path / "plot.png", xl=points)
    assert out and (tmp_path / "plot.png").stat().st_size > 10_000
