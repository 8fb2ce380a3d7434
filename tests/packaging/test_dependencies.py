"""Every import of the installed package is a declared dependency, and every declared
dependency is used (deptry, configured in pyproject.toml's [tool.deptry])."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_deptry_finds_no_undeclared_or_unused_dependency() -> None:
    exe = shutil.which("deptry") or str(Path(sys.executable).with_name("deptry"))
    out = subprocess.run([exe, "graphfraud", "ingest", "ui", "--no-ansi"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    assert "No dependency issues found" in out.stdout + out.stderr
