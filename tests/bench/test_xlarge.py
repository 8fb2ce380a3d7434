"""The xlarge bench's parts that need no server: the memory watchdog, prefix datasets and
the out-of-core check of movements.csv (same flags in memory and streamed)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import bench.xlarge as xlarge
from bench.out_of_core import check_in_memory, check_streaming
from bench.watchdog import role, watched
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


def test_the_watchdog_splits_the_peak_by_process(tmp_path: Path) -> None:
    """The step's own process and the worker it starts are measured apart: the sum alone
    could not say which one grew."""
    worker = ("import time\nx = bytearray(300 << 20)\nx[::4096] = b'1' * len(x[::4096])\n"
              "time.sleep(1.5)")
    step = ("import subprocess, sys, time\nx = bytearray(60 << 20)\n"
            "x[::4096] = b'1' * len(x[::4096])\n"
            f"subprocess.run([sys.executable, '-c', {worker!r}], check=True)\ntime.sleep(0.3)")
    r = watched([sys.executable, "-c", step], 2000, log=tmp_path / "log",
                rss_log=tmp_path / "rss.log", poll_s=0.05)
    assert r["returncode"] == 0 and not r["limit_reached"]
    by_role = {p["role"]: p for p in r["process_peaks"]}
    assert set(by_role) == {"step", "step worker"}
    assert 60 < by_role["step"]["peak_rss_mib"] < 200
    assert by_role["step worker"]["peak_rss_mib"] > 290
    assert by_role["step worker"]["first_seen_s"] > 0
    split = r["peak_split_mib"]
    assert split["step worker"] > 290 and 60 < split["step"] < 200
    assert abs(sum(split.values()) - r["peak_rss_mib"]) < 1
    lines = (tmp_path / "rss.log").read_text().splitlines()
    assert any("step_worker=" in x for x in lines)
    assert lines[-1].startswith("peak ") and f"total_mib={r['peak_rss_mib']:.0f}" in lines[-1]


def test_the_watchdog_counts_a_server_outside_the_tree_by_its_home(tmp_path: Path) -> None:
    """A daemonised server (outside the step's tree) found by its home in its command
    line is part of the sum and has its own line in the split."""
    import subprocess

    home = tmp_path / "home-xyz"
    hold = ("import sys, time\nx = bytearray(150 << 20)\nx[::4096] = b'1' * len(x[::4096])\n"
            "print('up', flush=True)\ntime.sleep(30)")
    server = subprocess.Popen([sys.executable, "-c", hold, str(home)], stdout=subprocess.PIPE,
                              start_new_session=True)
    try:
        assert server.stdout and server.stdout.readline() == b"up\n"
        r = watched([sys.executable, "-c", "import time; time.sleep(1)"], 2000,
                    also=str(home), log=tmp_path / "log", poll_s=0.05)
    finally:
        server.kill()
        server.wait()
    (outside,) = [p for p in r["process_peaks"] if p["pid"] == server.pid]
    assert outside["peak_rss_mib"] > 140
    assert r["peak_rss_mib"] > 140 + 5
    assert r["peak_split_mib"]["step"] < 100


def test_the_watchdog_names_the_servers_it_sees() -> None:
    neo = ["/usr/bin/java", "-Xmx2g", "-cp", "lib/*", "org.neo4j.server.CommunityEntryPoint",
           "--home-dir=/h"]
    admin = ["java", "-cp", "lib/*", "org.neo4j.server.startup.Neo4jAdminCommand", "database"]
    assert role(False, "java", neo) == "neo4j server"
    assert role(False, "java", admin) == "neo4j-admin"
    assert role(False, "redis-server", ["/x/redis-server *:0"]) == "embedded server"
    assert role(False, "python3", ["/v/bin/python", "-c", "pass"]) == "step worker"
    assert role(False, "python3", ["/v/bin/python", "-m", "graphfraud.ingest.emcs.prefetch",
                                   "/d/emcs"]) == "worker graphfraud.ingest.emcs.prefetch"
    assert role(True, "python3", ["/v/bin/python", "-m", "bench.xlarge"]) == "step"
    assert role(False, "sort", ["sort"]) == "sort"
    assert xlarge.split_text({"step": 1220.4, "neo4j server": 3537.0}) == (
        "neo4j server 3,537 + step 1,220")


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


def test_the_import_reads_the_files_of_its_own_chains_export(tmp_path, monkeypatch):
    import json

    import bench.xlarge as xl

    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps({"export_stream-all": {}, "export_stream-all-s10x": {}}))
    monkeypatch.setattr(xl, "STEPS_FILE", steps)
    monkeypatch.setattr(xl, "HOME_TAG", "-s10x")
    assert xl._export_key("all") == "export_stream-all-s10x"
    monkeypatch.setattr(xl, "HOME_TAG", "-other")
    assert xl._export_key("all") == "export_stream-all"  # an earlier, untagged export
