"""Shared fixtures: one test home, the embedded server and the real Neo4j.

The same test functions run against both stores (`store` is parametrised). The Neo4j
server is the real one that `graphfraud neo4j` runs, started here in the test home on
its own ports and stopped at the end. In CI (`CI=true`) a Neo4j that cannot be started
or reached fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _ci import unavailable

from graphfraud.config import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def test_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gfhome")


@pytest.fixture(scope="session")
def test_env(test_home: Path) -> dict[str, str]:
    """Environment for a GraphFraud process under test (subprocess CLI calls), logged in
    as the test home's admin (`tests/_auth.py`; `login_env(env, role)` for another)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHFRAUD_")}
    env.update({
        "GRAPHFRAUD_HOME": str(test_home),
        "GRAPHFRAUD_NEO4J_BOLT_PORT": os.environ.get("GRAPHFRAUD_TEST_BOLT_PORT", "17687"),
        "GRAPHFRAUD_NEO4J_HTTP_PORT": os.environ.get("GRAPHFRAUD_TEST_HTTP_PORT", "17474"),
        "GRAPHFRAUD_NEO4J_HEAP": "768m",
        "GRAPHFRAUD_NEO4J_PAGECACHE": "256m",
    })
    for key in ("URI", "USER", "PASSWORD", "DATABASE"):  # an external Neo4j for tests
        if os.environ.get(f"GRAPHFRAUD_TEST_NEO4J_{key}"):
            env[f"GRAPHFRAUD_NEO4J_{key}"] = os.environ[f"GRAPHFRAUD_TEST_NEO4J_{key}"]
    from _auth import login_env

    return login_env(env, "admin")


@pytest.fixture(scope="session", autouse=True)
def no_orphan_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the session, stop any embedded server a test started under the temp folder
    (a CLI call in a test's own home starts one); no server outlives the tests."""
    yield
    from graphfraud.servers.process import pid_alive, read_pid, terminate

    for pidfile in tmp_path_factory.getbasetemp().glob("**/falkordb/falkordb.pid"):
        pid = read_pid(pidfile)
        if pid and pid_alive(pid):
            terminate(pid, timeout_s=10)


@pytest.fixture(scope="session")
def settings(test_env: dict[str, str]) -> Settings:
    return load_settings(test_env)


@pytest.fixture(scope="session")
def embedded_settings(settings: Settings) -> Iterator[Settings]:
    from graphfraud.servers import falkordb_local

    yield settings
    falkordb_local.stop(settings)  # no orphan server left behind


@pytest.fixture(scope="session")
def neo4j_settings(settings: Settings) -> Iterator[Settings]:
    """The real Neo4j: started in the test home (or an external one from the env)."""
    from graphfraud.servers import neo4j_local

    started = False
    if settings.uses_local_neo4j:
        try:
            neo4j_local.start(settings, timeout_s=240)
            started = True
        except Exception as exc:  # noqa: BLE001
            msg = f"the real Neo4j could not be started: {type(exc).__name__}: {exc}"
            unavailable(msg)
    yield settings
    if started:
        neo4j_local.stop(settings)


def _open(kind: str, request: pytest.FixtureRequest):
    from graphfraud.store import open_store

    if kind == "neo4j":
        s = request.getfixturevalue("neo4j_settings")
    else:
        s = request.getfixturevalue("embedded_settings")
    return open_store(s, kind)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest):
    """An empty graph with the schema applied, on each backend in turn."""
    st = _open(request.param, request)
    st.clear()
    st.apply_schema()
    yield st
    st.close()


@pytest.fixture
def stores(request: pytest.FixtureRequest):
    """Both stores at once, emptied, for comparing answers."""
    pair = {"embedded": _open("embedded", request), "neo4j": _open("neo4j", request)}
    for st in pair.values():
        st.clear()
        st.apply_schema()
    yield pair
    for st in pair.values():
        st.close()


@pytest.fixture
def neo4j_store(neo4j_settings):
    """The real Neo4j alone, emptied, schema applied; emptied again afterwards."""
    from graphfraud.store import open_store

    st = open_store(neo4j_settings, "neo4j")
    st.clear()
    st.apply_schema()
    yield st
    st.clear()
    st.close()
