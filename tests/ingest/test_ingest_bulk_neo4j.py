"""The Neo4j bulk initial load, by both routes (neo4j-admin import into the managed
server; CREATE over Bolt), builds the graph the ordinary ingest builds, on the real Neo4j,
and refuses what it cannot do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphfraud.ingest.bulk import bulk_ingest
from graphfraud.ingest.run import ingest_directory
from graphfraud.store.base import StoreError
from graphfraud.store.graphhash import graph_fingerprint

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("bulkneo4j") / "world"
    generate_world("tiny", 5, out)
    return out


@pytest.fixture
def neo4j(neo4j_store):
    return neo4j_store


@pytest.mark.parametrize("route", ["admin", "bolt"])
def test_neo4j_bulk_load_equals_the_ordinary_ingest(neo4j, tiny_world, tmp_path, route,
                                                    monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_NEO4J_BULK_ROUTE", route)
    monkeypatch.setenv("GRAPHFRAUD_BOLT_BATCH_ROWS", "300")  # many batches, both sessions
    data = Path(shutil.copytree(tiny_world, tmp_path / "tiny",
                                ignore=shutil.ignore_patterns(".graphfraud")))
    ingest_directory(neo4j, data, "tiny")
    reference = graph_fingerprint(neo4j)
    schema = neo4j.schema_snapshot()
    neo4j.clear()
    shutil.rmtree(data / ".graphfraud")
    report = bulk_ingest(neo4j, data, "tiny")
    assert report.route == route
    if route == "admin":
        assert report.import_seconds > 0 and report.batches > 10  # neo4j-admin, many files
    else:
        assert report.import_seconds == 0 and report.node_seconds > 0
        assert report.batches > 20  # many transactions over Bolt
    assert (report.nodes, report.relationships) == (reference["nodes"],
                                                    reference["relationships"])
    assert graph_fingerprint(neo4j) == reference
    assert neo4j.schema_snapshot() == schema
    assert not (neo4j.settings.neo4j_home / "bulk-import").exists()  # files removed
    # later deliveries merge into it as usual: the same delivery again changes nothing
    ingest_directory(neo4j, data, "tiny")
    assert graph_fingerprint(neo4j) == reference


def test_a_failed_parse_leaves_the_server_running(neo4j, tiny_world, tmp_path, monkeypatch):
    """The server stops while the files are parsed; a parse that fails starts it again."""
    from graphfraud.ingest import bulk
    from graphfraud.servers import neo4j_local

    monkeypatch.setenv("GRAPHFRAUD_NEO4J_BULK_ROUTE", "admin")  # the route that stops it

    def broken(*_args, **_kwargs):
        raise RuntimeError("parse broke")

    monkeypatch.setattr(bulk, "ingest_directory", broken)
    with pytest.raises(RuntimeError, match="parse broke"):
        bulk_ingest(neo4j, tiny_world)
    assert neo4j_local.running_pid(neo4j.settings)
    assert neo4j.read_cypher("MATCH (n) RETURN count(n) AS c").rows == [{"c": 0}]


@pytest.mark.parametrize("route", ["admin", "bolt"])
def test_neo4j_bulk_load_refuses_a_graph_that_holds_nodes(neo4j, tiny_world, tmp_path, route,
                                                         monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_NEO4J_BULK_ROUTE", route)
    neo4j.upsert("upsert_tip", [{"key": "already-here", "props": {}}],
                 extra={"source": "test", "delivery": "t", "legal_basis": "investigation"})
    data = Path(shutil.copytree(tiny_world, tmp_path / "tiny"))
    with pytest.raises(StoreError, match="empty graph"):
        bulk_ingest(neo4j, data)
    assert neo4j.read_cypher("MATCH (n) RETURN count(n) AS c").rows == [{"c": 1}]


def test_a_server_it_does_not_run_is_loaded_over_bolt_never_by_admin(
        neo4j, neo4j_settings, tiny_world, tmp_path, monkeypatch):
    """A store without the managed server's settings (a URI elsewhere): the neo4j-admin
    route is refused, auto takes the Bolt route, and the graph is the ordinary one."""
    from graphfraud.ingest.bulk_neo4j import choose_route
    from graphfraud.store.neo4j_store import Neo4jStore

    data = Path(shutil.copytree(tiny_world, tmp_path / "tiny",
                                ignore=shutil.ignore_patterns(".graphfraud")))
    ingest_directory(neo4j, data, "tiny")
    reference = graph_fingerprint(neo4j)
    neo4j.clear()
    shutil.rmtree(data / ".graphfraud")
    elsewhere = Neo4jStore(neo4j_settings.bolt_uri(), neo4j_settings.neo4j_auth())
    try:
        monkeypatch.setenv("GRAPHFRAUD_NEO4J_BULK_ROUTE", "admin")
        with pytest.raises(StoreError, match="export-import-csv"):
            bulk_ingest(elsewhere, data)
        monkeypatch.delenv("GRAPHFRAUD_NEO4J_BULK_ROUTE")
        assert choose_route(elsewhere, data) == "bolt"
        report = bulk_ingest(elsewhere, data, "tiny")
        assert report.route == "bolt"
        assert graph_fingerprint(elsewhere) == reference
    finally:
        elsewhere.close()


def test_auto_picks_admin_only_for_a_large_delivery_on_the_managed_server(
        neo4j, tiny_world, monkeypatch):
    from graphfraud.ingest import bulk_neo4j

    monkeypatch.delenv("GRAPHFRAUD_NEO4J_BULK_ROUTE", raising=False)
    assert bulk_neo4j.choose_route(neo4j, tiny_world) == "bolt"
    monkeypatch.setattr(bulk_neo4j, "ADMIN_FROM_BYTES", 1)
    assert bulk_neo4j.choose_route(neo4j, tiny_world) == "admin"
    assert bulk_neo4j.choose_route(neo4j, tiny_world, "bolt") == "bolt"
    with pytest.raises(StoreError, match="unknown Neo4j bulk route"):
        bulk_neo4j.choose_route(neo4j, tiny_world, "fast")
