"""The wheel a newcomer installs: built from the tree, installed into a fresh virtualenv
that sees only the wheel and its declared dependencies, then run from another folder.

The virtualenv has no system site-packages and the commands run outside the repository
with a clean PYTHONPATH, so a file the wheel lacks or a dependency it does not declare
fails here. Dependencies come from a local wheelhouse (GRAPHFRAUD_WHEELHOUSE, default
~/.cache/graphfraud/wheelhouse), tried first with `--no-index`; only when it lacks
something is it filled with `pip download` (once; later runs work offline). With
GRAPHFRAUD_OFFLINE=1 a missing wheel fails instead of being downloaded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
WHEELHOUSE = Path(os.environ.get("GRAPHFRAUD_WHEELHOUSE",
                                 Path.home() / ".cache" / "graphfraud" / "wheelhouse"))
BUILD_REQUIRES = ["setuptools>=68", "wheel"]  # pyproject's [build-system] requires


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GRAPHFRAUD_", "PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return {**env, **extra}


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env or _clean_env(),
                          capture_output=True, text=True, timeout=timeout)


def _drop_own_wheels() -> None:
    """The wheelhouse holds dependencies only. `pip download` of a local wheel copies it
    in, and a later fill then reads that stale copy's dependency list (a new dependency
    was never fetched, and the offline install failed)."""
    for own in WHEELHOUSE.glob("graphfraud-*.whl"):
        own.unlink()


def _pip_offline_first(python: Path, args: list[str], downloads: list[str],
                       cwd: Path) -> None:
    """`python -m pip ARGS` from the wheelhouse only; fill it once if it lacks a wheel."""
    offline = [python, "-m", "pip", *args, "--no-index", "--find-links", WHEELHOUSE]
    out = _run(offline, cwd)
    if out.returncode == 0:
        return
    if os.environ.get("GRAPHFRAUD_OFFLINE") == "1":
        pytest.fail(f"the wheelhouse {WHEELHOUSE} lacks a wheel:\n{out.stderr[-3000:]}")
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    _drop_own_wheels()  # a kept copy of an older graphfraud wheel would be read instead
    fill = _run([python, "-m", "pip", "download", "-q", "-d", WHEELHOUSE, *downloads], cwd)
    _drop_own_wheels()
    assert fill.returncode == 0, fill.stderr[-3000:]
    out = _run(offline, cwd)
    assert out.returncode == 0, out.stderr[-3000:]


def _source_copy(dst: Path) -> Path:
    """What the build reads (pyproject, README and the mapped folders), without caches."""
    dst.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, dst / name)
    for folder in ("graphfraud", "ingest", "ui", "cypher", "deploy"):
        shutil.copytree(REPO / folder, dst / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "target"))
    return dst


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtualenv holding the wheel built from this tree."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    source = _source_copy(base / "source")  # pip builds in the tree: not in the repository
    _pip_offline_first(Path(sys.executable),
                       ["wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
                       BUILD_REQUIRES, base)
    (wheel,) = dist.glob("graphfraud-*.whl")
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", venv], base)
    assert made.returncode == 0, made.stderr
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    _pip_offline_first(venv / "bin" / "python", ["install", "-q", str(wheel)],
                       [str(wheel)], base)
    return venv / "bin"


def test_wheel_imports_from_its_own_site_packages(installed: Path, tmp_path: Path) -> None:
    out = _run([installed / "python", "-c",
                "import graphfraud, graphfraud.ingest.run, graphfraud.ui.common;"
                "print(graphfraud.__file__); print(graphfraud.ingest.run.__file__)"], tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    venv = installed.parent.resolve()
    for line in out.stdout.split():
        assert Path(line).resolve().is_relative_to(venv), line
    for top in ("ingest", "ui", "bench"):
        gone = _run([installed / "python", "-c", f"import {top}"], tmp_path)
        assert gone.returncode != 0, f"the wheel installs a top-level {top!r}"


def test_pip_show_lists_the_cypher_files_and_one_package(installed: Path,
                                                         tmp_path: Path) -> None:
    out = _run([installed / "python", "-m", "pip", "show", "-f", "graphfraud"], tmp_path)
    assert out.returncode == 0, out.stderr
    files = [line.strip() for line in out.stdout.split("Files:", 1)[1].splitlines()
             if line.strip()]
    cypher = {f for f in files if f.endswith(".cypher")}
    in_tree = {"graphfraud/cypher/" + p.relative_to(REPO / "cypher").as_posix()
               for p in (REPO / "cypher").rglob("*.cypher")}
    assert cypher == in_tree and len(cypher) > 100
    tops = {f.split("/", 1)[0] for f in files if "/" in f and not f.startswith("../")}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"graphfraud"}, tops
    for data in ("graphfraud/detect/weights.yaml", "graphfraud/data/geo/gemeenten_2015.geojson",
                 "graphfraud/data/emcs-xsd/V3.13/ie801.xsd",
                 "graphfraud/data/emcs/excise-products.csv",
                 "graphfraud/synth/data/municipalities.csv",
                 "graphfraud/ui/app.py", "graphfraud/ui/views/findings.py",
                 "graphfraud/deploy/neo4j/pom.xml"):
        assert data in files, data


def test_neo4j_install_reads_the_pom_in_the_wheel(installed: Path, tmp_path: Path) -> None:
    """`graphfraud neo4j install` from the wheel resolves the pom the checkout pins: the
    same file, so the same cache folder of jars (a fresh one would need Maven)."""
    from graphfraud.servers import neo4j_local

    out = _run([installed / "python", "-c",
                "from graphfraud.servers import neo4j_local as n;"
                "print(n.POM); print(n.runtime_for(n.POM).dir); print(n.pinned_versions())"],
               tmp_path, _clean_env(GRAPHFRAUD_NEO4J_RUNTIME=str(tmp_path / "runtime")))
    assert out.returncode == 0, out.stderr[-3000:]
    pom, runtime, versions = out.stdout.splitlines()
    assert Path(pom).resolve().is_relative_to(installed.parent.resolve()), pom
    assert Path(pom).read_bytes() == (REPO / "deploy" / "neo4j" / "pom.xml").read_bytes()
    assert Path(runtime).name == neo4j_local.runtime_for(neo4j_local.POM).dir.name
    assert versions == str(neo4j_local.pinned_versions())


def test_demo_and_query_list_from_another_folder(installed: Path, tmp_path: Path) -> None:
    env = _clean_env(GRAPHFRAUD_HOME=str(tmp_path / "home"))
    try:
        demo = _run([installed / "graphfraud", "demo", "--scale", "tiny"], tmp_path, env)
        assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-3000:]
        assert "4/4 detecting" in demo.stdout and "rows loaded" in demo.stdout
        analyst = _login(installed, tmp_path, env, "demo-analyst")  # who may run queries
        listed = _run([installed / "graphfraud", "query", "--list"], tmp_path, analyst)
        assert listed.returncode == 0, listed.stderr[-3000:]
        assert "person_by_id" in listed.stdout and "traders_at_address" in listed.stdout
        counted = _run([installed / "graphfraud", "query", "eps_counts",
                        "--format", "json"], tmp_path, analyst)  # a statement from the wheel
        assert counted.returncode == 0, counted.stderr[-3000:]
        assert '"municipality"' in counted.stdout
        _installs_neo4j_from_the_wheels_pom(installed, tmp_path, env)
        _serves_the_workbench(installed, tmp_path, env)
    finally:
        _run([installed / "graphfraud", "embedded", "stop"], tmp_path, env)


def _login(installed: Path, cwd: Path, env: dict[str, str], name: str) -> dict[str, str]:
    """`env` logged in as the demo user `name` (password from the demo's users file)."""
    users = Path(env["GRAPHFRAUD_HOME"]) / "demo-users.txt"
    password = next(line.split("\t")[2] for line in users.read_text().splitlines()
                    if line.startswith(name + "\t"))
    out = subprocess.run([str(installed / "graphfraud"), "login", name, "--print-token"],
                         cwd=cwd, env=env, input=password + "\n", capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return {**env, "GRAPHFRAUD_TOKEN": out.stdout.strip().splitlines()[-1]}


def _installs_neo4j_from_the_wheels_pom(installed: Path, cwd: Path,
                                        env: dict[str, str]) -> None:
    """`graphfraud neo4j install` (an admin command) finds its pom in the wheel: against a
    cache that already holds that pom's jars it answers without Maven."""
    from graphfraud.servers import neo4j_local

    cache = cwd / "neo4j-runtime"
    ready = cache / neo4j_local.runtime_for(neo4j_local.POM).dir.name
    ready.mkdir(parents=True)
    (ready / "COMPLETE").write_text("neo4j=test\n")
    admin = {**_login(installed, cwd, env, "demo-admin"), "GRAPHFRAUD_NEO4J_RUNTIME": str(cache)}
    out = _run([installed / "graphfraud", "neo4j", "install"], cwd, admin)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    assert f"Neo4j jars ready in {ready}" in out.stdout


def _serves_the_workbench(installed: Path, cwd: Path, env: dict[str, str]) -> None:
    """`graphfraud ui` runs the app from the installed package and answers its health URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(installed / "graphfraud"), "ui", "--port", str(port)],
                            cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the workbench did not answer in 90 s"
                time.sleep(0.5)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
