"""The tree and the package agree: every folder of Python modules is a declared package,
and no module imports the top-level folders by their repository names (`ingest`, `ui`,
`bench`): installed, only `graphfraud.*` exists. Fast: no build."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
SOURCE_ROOTS = {"graphfraud": "graphfraud", "ingest": "graphfraud.ingest",
                "ui": "graphfraud.ui"}


def _package_folders() -> set[str]:
    names = set()
    for folder, package in SOURCE_ROOTS.items():
        for init in (REPO / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / folder).parts
            names.add(".".join((package, *rel)))
    return names


def test_every_module_folder_is_a_declared_package() -> None:
    declared = set(SETUPTOOLS["packages"])
    assert _package_folders() - declared == set(), "add these to [tool.setuptools] packages"
    assert declared - _package_folders() == {"graphfraud.cypher", "graphfraud.deploy"}  # data only
    for package, folder in SETUPTOOLS["package-dir"].items():
        assert (REPO / folder / "__init__.py").is_file(), (package, folder)


def test_bench_and_tests_are_not_installed() -> None:
    assert not [p for p in SETUPTOOLS["packages"] if p.split(".")[0] != "graphfraud"]
    assert "bench" not in SETUPTOOLS["package-dir"].values()


def _top_level_imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_no_module_imports_the_repository_folders() -> None:
    bad = []
    for root in ("graphfraud", "ingest", "ui", "bench", "tests"):
        for path in (REPO / root).rglob("*.py"):
            for line, name in _top_level_imports(path):
                if name.split(".")[0] in ("ingest", "ui") or (
                        name.split(".")[0] == "bench" and root != "bench"
                        and not path.is_relative_to(REPO / "tests" / "bench")):
                    bad.append(f"{path.relative_to(REPO)}:{line}: import {name}")
    assert not bad, "import graphfraud.ingest / graphfraud.ui instead:\n" + "\n".join(bad)
