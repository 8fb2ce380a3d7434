"""The Neo4j bulk initial load (neo4j-admin import into the managed server) builds the
graph the ordinary ingest builds, on the real Neo4j, and refuses what it cannot do."""

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


def test_neo4j_bulk_load_equals_the_ordinary_ingest(neo4j, tiny_world, tmp_path):
    data = Path(shutil.copytree(tiny_world, tmp_path / "tiny",
                                ignore=shutil.ignore_patterns(".graphfraud")))
    ingest_directory(neo4j, data, "tiny")
    reference = graph_fingerprint(neo4j)
    schema = neo4j.schema_snapshot()
    neo4j.clear()
    shutil.rmtree(data / ".graphfraud")
    report = bulk_ingest(neo4j, data, "tiny")
    assert report.import_seconds > 0 and report.batches > 10  # neo4j-admin ran, many files
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
    from graphfraud.ingest import bulk_neo4j
    from graphfraud.servers import neo4j_local

    def broken(*_args, **_kwargs):
        raise RuntimeError("parse broke")

    monkeypatch.setattr(bulk_neo4j, "ingest_directory", broken)
    with pytest.raises(RuntimeError, match="parse broke"):
        bulk_ingest(neo4j, tiny_world)
    assert neo4j_local.running_pid(neo4j.settings)
    assert neo4j.read_cypher("MATCH (n) RETURN count(n) AS c").rows == [{"c": 0}]


def test_neo4j_bulk_load_refuses_a_graph_that_holds_nodes(neo4j, tiny_world, tmp_path):
    neo4j.upsert("upsert_tip", [{"key": "already-here", "props": {}}],
                 extra={"source": "test", "delivery": "t", "legal_basis": "investigation"})
    data = Path(shutil.copytree(tiny_world, tmp_path / "tiny"))
    with pytest.raises(StoreError, match="empty graph"):
        bulk_ingest(neo4j, data)
    assert neo4j.read_cypher("MATCH (n) RETURN count(n) AS c").rows == [{"c": 1}]


def test_neo4j_bulk_load_refuses_a_server_it_does_not_run(neo4j_settings, tiny_world):
    from graphfraud.store.neo4j_store import Neo4jStore

    elsewhere = Neo4jStore(neo4j_settings.bolt_uri(), neo4j_settings.neo4j_auth())
    try:
        with pytest.raises(StoreError, match="export-import-csv"):
            bulk_ingest(elsewhere, tiny_world)
    finally:
        elsewhere.close()
