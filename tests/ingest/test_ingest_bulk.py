"""The bulk initial load builds, on the embedded store, the graph the ordinary ingest
builds, and refuses a graph that is not empty or a store that is not embedded."""

import json
import shutil
from pathlib import Path

import pytest

from graphfraud.ingest.bulk import bulk_ingest
from graphfraud.ingest.run import ingest_directory
from graphfraud.store import open_store
from graphfraud.store.base import StoreError
from graphfraud.store.graphhash import graph_fingerprint


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("bulkworld") / "world"
    generate_world("tiny", 5, out)
    return out


@pytest.fixture
def embedded(embedded_settings):
    st = open_store(embedded_settings, "embedded")
    st.clear()
    yield st
    st.clear()
    st.close()


def _copy(world: Path, dst: Path) -> Path:
    return Path(shutil.copytree(world, dst, ignore=shutil.ignore_patterns(".graphfraud")))


def test_bulk_load_equals_the_ordinary_ingest(embedded, tiny_world, tmp_path):
    data = _copy(tiny_world, tmp_path / "tiny")  # one path: the Delivery node records it
    ingest_directory(embedded, data, "tiny")
    reference = graph_fingerprint(embedded)
    schema = embedded.schema_snapshot()
    embedded.clear()
    shutil.rmtree(data / ".graphfraud")
    report = bulk_ingest(embedded, data, "tiny",
                         batch_bytes=200_000)  # small batches: many GRAPH.BULK calls
    assert report.batches > 3
    assert (report.nodes, report.relationships) == (reference["nodes"],
                                                    reference["relationships"])
    assert graph_fingerprint(embedded) == reference
    assert embedded.schema_snapshot() == schema  # the indexes were made after the load
    # later deliveries merge into it as usual: the same delivery again changes nothing
    ingest_directory(embedded, data, "tiny")
    assert graph_fingerprint(embedded) == reference


def test_bulk_load_refuses_a_graph_that_holds_nodes(embedded, tiny_world, tmp_path):
    embedded.upsert("upsert_tip", [{"key": "already-here", "props": {}}],
                    extra={"source": "test", "delivery": "t", "legal_basis": "investigation"})
    with pytest.raises(StoreError, match="empty graph"):
        bulk_ingest(embedded, _copy(tiny_world, tmp_path / "tiny"))
    assert embedded.read_cypher("MATCH (n) RETURN count(n) AS c").rows == [{"c": 1}]


def test_bulk_load_is_not_offered_on_neo4j(tiny_world, tmp_path):
    from graphfraud.store.memory import CollectingStore

    with pytest.raises(StoreError, match="export-import-csv"):
        bulk_ingest(CollectingStore(), _copy(tiny_world, tmp_path / "tiny"))


def test_cli_bulk_ingest_reports_the_load_and_refuses_a_full_graph(embedded_settings,
                                                                  test_env, tiny_world,
                                                                  tmp_path):
    import subprocess
    import sys

    data = _copy(tiny_world, tmp_path / "tiny")
    cmd = [sys.executable, "-m", "graphfraud.cli", "ingest", str(data), "--store", "embedded",
           "--bulk", "--fresh"]
    done = subprocess.run(cmd, env=test_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "bulk load: parse" in done.stdout and "GRAPH.BULK (1 call) " in done.stdout
    again = subprocess.run(cmd[:-1], env=test_env, capture_output=True, text=True,
                           timeout=300)  # without --fresh: the graph is not empty
    assert again.returncode != 0
    assert "needs an empty graph" in again.stderr
    as_json = subprocess.run([*cmd, "--format", "json"], env=test_env, capture_output=True,
                             text=True, timeout=300)
    assert as_json.returncode == 0, as_json.stderr
    figures = json.loads(as_json.stdout)
    assert figures["nodes"] > 1000 and figures["batches"] >= 1
    assert figures["ingest"]["files"], "the parse's per-file report is kept"
    st = open_store(embedded_settings, "embedded")
    try:
        assert sum(int(r["nodes"]) for r in st.run("count_by_label")) > 1000
    finally:
        st.clear()
        st.close()


def test_bulk_load_pauses_the_servers_forks_and_rewrites_its_log_after(
        embedded, embedded_settings, tiny_world, tmp_path):
    """A fork of the server (append-only rewrite, snapshot) during GRAPH.BULK left it
    deaf on the large world: while the bulk calls run, the server must not fork on its
    own, nor while the indexes are made; afterwards its settings are back, its log
    rewritten (compacted), and a restart keeps the whole graph."""
    from graphfraud.servers import falkordb_local
    from graphfraud.store.falkordb_store import FalkorDBStore

    conn = embedded._db.connection
    names = FalkorDBStore.BACKGROUND_SAVE_SETTINGS
    conn.config_set("auto-aof-rewrite-percentage", 100)
    conn.config_set("save", "3600 1 300 100")
    before = {n: conn.config_get(n)[n] for n in names}
    rewrites = conn.info("persistence")["aof_rewrites"]
    seen: list[dict[str, str]] = []
    real = embedded.bulk_insert

    def watched(batches):
        def peek():
            for args in batches:
                seen.append({n: conn.config_get(n)[n] for n in names})
                yield args
        return real(peek())

    embedded.bulk_insert = watched
    real_schema = embedded.apply_schema

    def schema_watched():
        seen.append({n: conn.config_get(n)[n] for n in names})  # the indexes: paused too
        return real_schema()

    embedded.apply_schema = schema_watched
    real_compact = embedded.compact

    def compact_watched(wait=True):
        # the rewrite is the one asked for, while the server's own are still off (an
        # automatic one from its cron right after a large load crashed it)
        seen.append({n: conn.config_get(n)[n] for n in names})
        return real_compact(wait)

    embedded.compact = compact_watched
    report = bulk_ingest(embedded, _copy(tiny_world, tmp_path / "tiny"), "tiny",
                         batch_bytes=200_000)
    assert len(seen) == report.batches + 2 and report.batches > 3
    assert all(s == {"auto-aof-rewrite-percentage": "0", "save": ""} for s in seen)
    assert report.compacted
    assert {n: conn.config_get(n)[n] for n in names} == before
    info = conn.info("persistence")
    # compacted once by the bulk load (the server may rewrite a small log again on its
    # own once its threshold is back)
    assert info["aof_rewrites"] >= rewrites + 1 and not info["aof_rewrite_in_progress"]
    counts = graph_fingerprint(embedded)
    embedded.close()
    assert falkordb_local.stop(embedded_settings)
    again = open_store(embedded_settings, "embedded")
    try:
        assert graph_fingerprint(again) == counts
    finally:
        again.close()


def test_a_server_that_dies_while_compacting_fails_the_load_loudly(embedded, tiny_world,
                                                                  tmp_path, monkeypatch):
    """Seen on a 2.5M-node load: the server crashed in the rewrite after the load and the
    load still said it had loaded. A rewrite that fails on a live server (a full disk)
    is reported; one that leaves no server is an error."""
    monkeypatch.setattr(embedded, "compact", lambda wait=True: False)
    report = bulk_ingest(embedded, _copy(tiny_world, tmp_path / "a"), "tiny")
    assert report.nodes > 1000 and report.compacted is False
    embedded.clear()
    monkeypatch.setattr(embedded, "health", lambda: {"ok": False, "error": "gone"})
    with pytest.raises(StoreError, match="stopped while it rewrote its log"):
        bulk_ingest(embedded, _copy(tiny_world, tmp_path / "b"), "tiny")
