"""The embedded server's life: shared, durable across a kill, recovers from stale files."""

import os
import signal
import time
from dataclasses import replace

import pytest

from graphfraud.servers import falkordb_local
from graphfraud.servers.process import pid_alive, read_pid
from graphfraud.store.falkordb_store import FalkorDBStore


@pytest.fixture
def own_settings(settings, tmp_path):
    """A server of this test's own, so killing it disturbs no other test."""
    s = replace(settings, home=tmp_path / "home")
    yield s
    falkordb_local.stop(s)


def _write_rows(s, n):
    st = FalkorDBStore.from_settings(s)
    st._write("UNWIND range(1, $n) AS i CREATE (:Probe {i: i})", {"n": n}, None)
    st.close()


def _count(s):
    st = FalkorDBStore.from_settings(s)
    rows = st.read_cypher("MATCH (p:Probe) RETURN count(p) AS c").rows
    st.close()
    return rows[0]["c"] if rows else 0


def test_one_server_is_shared_by_callers(own_settings):
    first = falkordb_local.ensure_running(own_settings)
    pid = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    assert falkordb_local.ensure_running(own_settings) == first
    assert read_pid(falkordb_local.paths_for(own_settings).pidfile) == pid
    info = falkordb_local.status(own_settings)
    assert info["running"] and info["falkordb_module_version"]


def test_writes_survive_kill_9_and_stale_files_are_cleared(own_settings):
    falkordb_local.ensure_running(own_settings)
    _write_rows(own_settings, 1000)
    time.sleep(1.5)  # appendfsync everysec
    p = falkordb_local.paths_for(own_settings)
    pid = read_pid(p.pidfile)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(pid)
    assert p.socket.exists() and p.pidfile.exists()  # stale files left by the crash
    assert _count(own_settings) == 1000  # restarted on first use, data back from the AOF


def test_stop_leaves_no_process(own_settings):
    falkordb_local.ensure_running(own_settings)
    pid = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    assert falkordb_local.stop(own_settings) is True
    assert not pid_alive(pid)
    assert not falkordb_local.paths_for(own_settings).socket.exists()
    assert falkordb_local.stop(own_settings) is False


def test_long_home_paths_get_a_short_socket(settings, tmp_path):
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    p = falkordb_local.paths_for(replace(settings, home=deep))
    assert len(str(p.socket)) <= 100 and p.dir == deep / "falkordb"


def test_a_graph_with_the_schema_survives_a_restart_and_a_kill(own_settings):
    """With the schema applied, the append-only file must replay: a clean stop and a
    kill -9 both come back with the data (constraint commands once made replay fail)."""
    st = FalkorDBStore.from_settings(own_settings)
    st.apply_schema()
    st.apply_schema()
    st.upsert("upsert_trader", [{"key": f"T{i}", "props": {"name": f"n{i}"}} for i in range(50)],
              extra={"source": "t", "delivery": "d", "legal_basis": "register"})
    st.close()
    falkordb_local.stop(own_settings)
    st = FalkorDBStore.from_settings(own_settings)
    assert st.run("count_by_label") == [{"label": "Trader", "nodes": 50}]
    st.clear()
    st.apply_schema()
    st.upsert("upsert_trader", [{"key": "T1", "props": {"name": "again"}}],
              extra={"source": "t", "delivery": "d", "legal_basis": "register"})
    st.close()
    time.sleep(1.5)
    pid = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    os.kill(pid, signal.SIGKILL)
    while pid_alive(pid):
        time.sleep(0.05)
    st = FalkorDBStore.from_settings(own_settings)
    assert st.run("count_by_label") == [{"label": "Trader", "nodes": 1}]
    assert len(st.schema_snapshot()) >= 1
    st.close()
