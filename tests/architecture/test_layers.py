"""The layer contract (`[tool.importlinter]` in pyproject.toml): model -> store/servers
-> resolve/detect/explore/security -> ingest -> cli/ui, each layer importing only those
below it.

import-linter reads a package from one folder, so the check runs on the installed layout:
a copy of the tree with ingest/ and ui/ placed where `[tool.setuptools.package-dir]`
installs them. A second run with one planted upward import proves the check can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
(CONTRACT,) = PYPROJECT["tool"]["importlinter"]["contracts"]


def _assemble(dst: Path) -> Path:
    """The package as the wheel installs it (Python files only), under `dst`."""
    mapping = PYPROJECT["tool"]["setuptools"]["package-dir"]
    for package, folder in sorted(mapping.items(), key=lambda kv: kv[0].count(".")):
        target = dst.joinpath(*package.split("."))
        shutil.copytree(REPO / folder, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.cypher", "data"))
    shutil.copy(REPO / "pyproject.toml", dst / "pyproject.toml")
    return dst


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([exe, "--no-cache", "--config", "pyproject.toml"], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _assemble(tmp_path_factory.mktemp("layout"))


def test_every_part_of_the_package_has_a_layer(tree: Path) -> None:
    layered = [m.strip() for layer in CONTRACT["layers"] for m in layer.split(":")]
    assert len(layered) == len(set(layered)), "a module sits in two layers"
    root = tree / "graphfraud"
    parts = {p.name for p in root.iterdir() if (p / "__init__.py").is_file()}
    parts |= {p.stem for p in root.glob("*.py") if p.stem != "__init__"}
    parts -= {"cypher", "deploy"}  # the statement files and the Neo4j pom: data, no imports
    assert parts == set(layered), (
        f"place in a layer: {sorted(parts - set(layered))}; "
        f"gone: {sorted(set(layered) - parts)}")


def test_layers_only_point_down(tree: Path) -> None:
    out = _lint(tree)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-3000:]
    assert "1 kept, 0 broken" in out.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    tree = _assemble(tmp_path)
    (tree / "graphfraud" / "model" / "planted_upward.py").write_text(
        "from graphfraud.ingest.run import ingest_directory  # model -> ingest\n")
    out = _lint(tree)
    assert out.returncode != 0
    assert "0 kept, 1 broken" in out.stdout
    assert "graphfraud.model.planted_upward -> graphfraud.ingest.run" in out.stdout
