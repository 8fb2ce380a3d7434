"""The streamed export's files, imported by neo4j-admin into the real Neo4j, make the
graph the ordinary ingest makes (same fingerprint)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphfraud.export.stream_import import export_import_csv_streamed
from graphfraud.ingest.run import ingest_directory
from graphfraud.servers import neo4j_local
from graphfraud.store.graphhash import graph_fingerprint
from graphfraud.store.neo4j_import import absolute_args

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module", params=["tiny", "small"])
def world(request, tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp(f"streamneo4j-{request.param}") / "world"
    generate_world(request.param, 5, out)
    return out


def _import(store, out: Path, args: list[str]) -> None:
    settings = store.settings
    neo4j_local.stop(settings)
    done = neo4j_local.admin(settings, "database", "import", "full",
                             *absolute_args(args, out), "--overwrite-destination=true",
                             settings.neo4j_database)
    neo4j_local.start(settings, timeout_s=240)
    store.reconnect()
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    store.apply_schema()


def test_streamed_import_equals_the_ordinary_ingest(neo4j_store, world, tmp_path):
    data = Path(shutil.copytree(world, tmp_path / "world",
                                ignore=shutil.ignore_patterns(".graphfraud")))
    ingest_directory(neo4j_store, data)
    reference = graph_fingerprint(neo4j_store)
    neo4j_store.clear()
    shutil.rmtree(data / ".graphfraud")
    out = tmp_path / "import"
    summary = export_import_csv_streamed(data, out, partitions=4, flush_rows=500)
    assert summary["spilled_rows"] > 1000
    _import(neo4j_store, out, summary["admin_args"])
    assert (summary["node_total"], summary["relationship_total"]) == (
        reference["nodes"], reference["relationships"])
    assert graph_fingerprint(neo4j_store) == reference
