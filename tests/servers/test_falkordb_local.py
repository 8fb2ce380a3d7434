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


def _wait_gone(pid: int, timeout_s: float = 30.0) -> None:
    """Wait for a killed server's process to be gone, failing after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while pid_alive(pid):
        assert time.monotonic() < deadline, f"pid {pid} still alive {timeout_s:g} s after SIGKILL"
        time.sleep(0.05)


def _write_rows(s, n):
    st = FalkorDBStore.from_settings(s)
    st._write("UNWIND range(1, $n) AS i CREATE (:Probe {i: i})", {"n": n}, None)
    st.close()


def _count(s):
    st = FalkorDBStore.from_settings(s)
    rows = st.read_cypher("MATCH (p:Probe) RETURN count(p) AS c").rows
    st.close()
    return rows[0]["c"] if rows else 0


def _upsert_traders(s, n, prefix="T"):
    """Writes as an ingest makes them: batches of upserts with their rows as parameters."""
    st = FalkorDBStore.from_settings(s)
    st.upsert("upsert_trader", [{"key": f"{prefix}{i}", "props": {"name": f"n{i}"}}
                                for i in range(n)],
              batch_size=500, extra={"source": "t", "delivery": "d", "legal_basis": "register"})
    st.close()


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
    _wait_gone(pid)
    st = FalkorDBStore.from_settings(own_settings)
    assert st.run("count_by_label") == [{"label": "Trader", "nodes": 1}]
    assert len(st.schema_snapshot()) >= 1
    st.close()


def test_the_engine_runs_with_its_limits(own_settings):
    import redis

    from graphfraud.servers.resources import engine_limits

    sock = falkordb_local.ensure_running(own_settings)
    client = redis.Redis(unix_socket_path=str(sock), decode_responses=True)
    config = dict(client.execute_command("GRAPH.CONFIG", "GET", "*"))
    client.close()
    lim = engine_limits(own_settings.neo4j_heap)
    assert config["TIMEOUT_MAX"] == lim.query_timeout_max_s * 1000
    assert config["TIMEOUT_DEFAULT"] == lim.query_timeout_max_s * 1000
    assert config["QUERY_MEM_CAPACITY"] == lim.embedded_query_memory
    assert config["THREAD_COUNT"] == lim.embedded_threads >= 4


def test_compaction_leaves_a_snapshot_and_keeps_what_was_written(own_settings):
    """After `compact` the append-only file is a snapshot with (almost) nothing after
    it; a clean stop compacts when much was written; a kill -9 after it loses nothing."""
    falkordb_local.ensure_running(own_settings)
    _upsert_traders(own_settings, 3000)
    _write_rows(own_settings, 20000)
    assert falkordb_local.needs_compaction(own_settings)
    assert falkordb_local.compact(own_settings) is True
    base, incr = falkordb_local._aof_sizes(falkordb_local.paths_for(own_settings).dir)
    assert base > 0 and incr < 4096 and not falkordb_local.needs_compaction(own_settings)
    _write_rows(own_settings, 10)
    time.sleep(1.5)
    pid = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    os.kill(pid, signal.SIGKILL)
    _wait_gone(pid)
    assert _count(own_settings) == 20010  # snapshot + the log after it
    _write_rows(own_settings, 20000)
    _upsert_traders(own_settings, 3000, prefix="U")
    assert falkordb_local.needs_compaction(own_settings)
    falkordb_local.stop(own_settings)  # compacts first
    assert not falkordb_local.needs_compaction(own_settings)
    assert _count(own_settings) == 40010


def test_a_wedged_engine_is_restarted_by_the_watchdog(own_settings, monkeypatch):
    """A query stuck where the engine's time-out cannot act (here a deep parse that the
    guard would refuse, sent straight to the store) holds the only worker: the caller
    is told in time, the server is restarted and answers again."""
    from graphfraud.store.base import QueryTimedOut

    monkeypatch.setenv("GRAPHFRAUD_EMBEDDED_THREADS", "1")
    st = FalkorDBStore.from_settings(own_settings)
    st._write("CREATE (:Probe {i: 1})", {}, None)
    before = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    began = time.monotonic()
    with pytest.raises(QueryTimedOut, match="time-out"):
        st.read_cypher("RETURN " + "(" * 28 + "1" + ")" * 28, timeout_s=3)
    assert time.monotonic() - began <= 3 * 1.2
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and read_pid(
            falkordb_local.paths_for(own_settings).pidfile) in (before, None):
        time.sleep(0.2)
    after = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    assert after and after != before and not pid_alive(before)
    st.close()
    assert _count(own_settings) == 1
    log = (falkordb_local.paths_for(own_settings).dir / "watchdog.log").read_text()
    assert "wedged" in log


def _config(s, name):
    import redis

    client = redis.Redis(unix_socket_path=str(falkordb_local.paths_for(s).socket),
                         decode_responses=True)
    try:
        return client.config_get(name)[name]
    finally:
        client.close()


def _persistence(s):
    import redis

    client = redis.Redis(unix_socket_path=str(falkordb_local.paths_for(s).socket),
                         decode_responses=True)
    try:
        return client.info("persistence")
    finally:
        client.close()


def test_the_server_never_forks_on_its_own(own_settings):
    """A rewrite started from the server's cron after a large load or replay crashed it
    (FalkorDB's fork hook, Redis `server.blocked_last_cron`): it starts with automatic
    rewrites and snapshot rules off, and keeps the append-only file with fsync per second."""
    falkordb_local.ensure_running(own_settings)
    assert _config(own_settings, "auto-aof-rewrite-percentage") == "0"
    assert _config(own_settings, "save") == ""
    assert _config(own_settings, "appendonly") == "yes"
    assert _config(own_settings, "appendfsync") == "everysec"
    assert _config(own_settings, "aof-use-rdb-preamble") == "yes"


def _wait_rewritten(s, timeout_s=60.0):
    deadline = time.monotonic() + timeout_s
    while True:
        info = _persistence(s)
        if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            return info
        assert time.monotonic() < deadline, "the rewrite after the start did not end"
        time.sleep(0.05)


def test_a_start_that_replays_a_grown_log_compacts_it(own_settings):
    """After a kill -9 the log since the last snapshot is replayed at the next start; the
    start then rewrites it as a snapshot itself (a command, not the server's cron), keeps
    every write, and leaves the automatic rewrites off."""
    falkordb_local.ensure_running(own_settings)
    assert falkordb_local.compact(own_settings) is True
    _write_rows(own_settings, 20000)
    _upsert_traders(own_settings, 3000)
    time.sleep(1.5)  # fsync every second
    pid = read_pid(falkordb_local.paths_for(own_settings).pidfile)
    os.kill(pid, signal.SIGKILL)
    _wait_gone(pid)
    _base, grown = falkordb_local._aof_sizes(falkordb_local.paths_for(own_settings).dir)
    assert grown > falkordb_local.COMPACT_ABOVE_BYTES
    falkordb_local.ensure_running(own_settings)
    info = _wait_rewritten(own_settings)
    assert info["aof_last_bgrewrite_status"] == "ok" and info["aof_rewrites"] == 1
    base, incr = falkordb_local._aof_sizes(falkordb_local.paths_for(own_settings).dir)
    assert base > 0 and incr < 4096 and not falkordb_local.needs_compaction(own_settings)
    assert _config(own_settings, "auto-aof-rewrite-percentage") == "0"
    assert _count(own_settings) == 20000
    # a start with nothing to replay starts no rewrite
    falkordb_local.stop(own_settings)
    falkordb_local.ensure_running(own_settings)
    assert _persistence(own_settings)["aof_rewrites"] == 0
