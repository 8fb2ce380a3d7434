"""Files for police data: nothing under the home is open to another OS user after the
demo, an ingest and a detect run, and no secret travels in a process's arguments."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def _open_to_others(home: Path) -> list[str]:
    bad = []
    for root, dirs, files in os.walk(home):
        for name in dirs + files:
            path = Path(root) / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                continue
            if stat.S_IMODE(mode) & 0o077:
                bad.append(f"{path.relative_to(home)} {stat.S_IMODE(mode):o}")
    if stat.S_IMODE(home.stat().st_mode) & 0o077:
        bad.append(f". {stat.S_IMODE(home.stat().st_mode):o}")
    return bad


@pytest.mark.slow
def test_no_file_under_the_home_is_open_to_others(tmp_path, test_env):
    home = tmp_path / "home"
    env = {k: v for k, v in test_env.items() if k != "GRAPHFRAUD_TOKEN"}
    env.update({"GRAPHFRAUD_HOME": str(home), "GRAPHFRAUD_GRAPH": "gf_files"})
    run = lambda *a: subprocess.run([sys.executable, "-m", "graphfraud.cli", *a],  # noqa: E731
                                    env=env, capture_output=True, text=True, timeout=600)
    try:
        demo = run("demo", "--scale", "tiny")
        assert demo.returncode == 0, demo.stderr[-2000:]
        assert "demo-users.txt" in demo.stderr + demo.stdout  # it says so
        world = next((home / "demo").iterdir())
        ingest = run("ingest", str(world))  # as the demo admin (its token file)
        assert ingest.returncode == 0, ingest.stderr[-2000:]
        detect = run("detect", "--top", "3")
        assert detect.returncode == 0, detect.stderr[-2000:]
        assert _open_to_others(home) == []
    finally:
        run("embedded", "stop")


def test_the_neo4j_initial_password_is_never_an_argument(tmp_path, monkeypatch):
    from dataclasses import replace

    from graphfraud.config import load_settings
    from graphfraud.servers import neo4j_local

    settings = replace(load_settings({"GRAPHFRAUD_HOME": str(tmp_path)}))
    (settings.neo4j_home / "conf").mkdir(parents=True)
    seen: dict[str, object] = {}

    def fake_run(argv, **kwargs):
        seen["argv"] = list(argv)
        arg = next(a for a in argv if str(a).startswith("@"))
        path = Path(str(arg)[1:])
        seen["mode"] = stat.S_IMODE(path.stat().st_mode)
        seen["file"] = path
        seen["password"] = path.read_text().strip()
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(neo4j_local.subprocess, "run", fake_run)
    runtime = type("R", (), {"lib": tmp_path, "plugins": tmp_path})()
    neo4j_local._set_initial_password(settings, runtime, "java")
    password = settings.neo4j_auth()[1]
    assert seen["password"] == password and len(password) >= 24
    assert not any(password in str(a) for a in seen["argv"])
    assert seen["mode"] == 0o600 and not Path(str(seen["file"])).exists()
