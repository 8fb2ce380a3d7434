"""The bulk load's statement rows built from the records by the collecting store
(`RecordBatch`, in the worker process) are the rows the parsing process builds itself
(`GRAPHFRAUD_DEFER_STATEMENTS=0`, the anchor): batch by batch for every loader, and as
the whole graph (nodes, relationships in their order, the GRAPH.BULK bytes), on the tiny
and small generated worlds and on a delivery of broken rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ingest_broken_rows import broken_delivery  # noqa: F401  (a fixture)
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest import columnar
from graphfraud.ingest.batch import RecordBatch
from graphfraud.ingest.collector import CollectorProcess
from graphfraud.ingest.framework import RefIndex, open_csv
from graphfraud.ingest.movements import MovementLoader
from graphfraud.ingest.run import LOADERS, FileReport, _valid_batches, ingest_directory
from graphfraud.store.falkordb_bulk import bulk_batches
from graphfraud.store.memory import CollectingStore


@pytest.fixture(scope="module")
def small_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("small") / "world"
    generate_world("small", 7, out)
    return out


def _batches(loader, directory: Path, refs: RefIndex, batch_size: int, defer: bool):
    rejections: list = []
    rows = columnar.parsed_rows(loader, open_csv(directory / loader.file_name, loader),
                                rejections)
    report = FileReport(loader.file_name)
    return [(batch, count, last) for batch, count, last in
            _valid_batches(rows, loader, refs, report, rejections, batch_size, defer)
            ], rejections, report


@pytest.mark.parametrize(("world", "batch_size"), [("tiny_world", 7), ("tiny_world", 2000),
                                                   ("small_world", 2000)])
def test_the_records_give_the_rows_batch_by_batch(world, batch_size, request):
    directory = request.getfixturevalue(world)
    refs_kept, refs_built = RefIndex(), RefIndex()
    deferred = 0
    for cls in LOADERS:
        if not (directory / cls.file_name).exists():
            continue
        kept, r_kept, rep_kept = _batches(cls(), directory, refs_kept, batch_size, True)
        built, r_built, rep_built = _batches(cls(), directory, refs_built, batch_size, False)
        assert r_kept == r_built and rep_kept == rep_built
        assert [(c, n) for _, c, n in kept] == [(c, n) for _, c, n in built]
        for (k, _, _), (b, _, _) in zip(kept, built, strict=True):
            expected = b()
            assert b.records is None
            if cls.refs_free or cls is MovementLoader:
                assert isinstance(k.records, RecordBatch)
                assert k.records.items() == expected
                deferred += len(k.records.records)
            else:
                assert k.records is None
            assert k() == expected
    assert refs_kept == refs_built
    assert deferred > 5 * batch_size if batch_size < 100 else deferred > 1000


def _graph(store: CollectingStore) -> tuple:
    return (store.counts(), store.nodes, list(store.rels.items()),
            list(bulk_batches(store.nodes, store.rels.values(), 50_000)))


@pytest.mark.parametrize("world", ["tiny_world", "small_world", "broken_delivery"])
def test_the_ingest_makes_the_same_graph(world, request, monkeypatch):
    directory = request.getfixturevalue(world)
    deferred = CollectingStore()
    ours = ingest_directory(deferred, directory, "d1", restart=True)
    monkeypatch.setenv("GRAPHFRAUD_DEFER_STATEMENTS", "0")
    built = CollectingStore()
    theirs = ingest_directory(built, directory, "d1", restart=True)
    assert [(f.file, f.read, f.loaded, f.quarantined) for f in ours.files] == \
        [(f.file, f.read, f.loaded, f.quarantined) for f in theirs.files]
    assert ours.resolution == theirs.resolution
    assert _graph(deferred) == _graph(built)
    assert sum(built.counts()["nodes"].values()) > 0


def test_the_worker_builds_the_same_graph(small_world, monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_DEFER_STATEMENTS", "0")
    built = CollectingStore()
    ingest_directory(built, small_world, "d1", restart=True)
    monkeypatch.delenv("GRAPHFRAUD_DEFER_STATEMENTS")
    with CollectorProcess() as worker:
        ingest_directory(worker, small_world, "d1", restart=True)
        assert worker.counts() == built.counts()
        assert list(worker.bulk_batches(50_000)) == \
            list(bulk_batches(built.nodes, built.rels.values(), 50_000))


def test_the_switch_keeps_the_rows_in_the_parsing_process(tiny_world, monkeypatch):  # noqa: F811
    sent: list[str] = []

    class Watching(CollectingStore):
        def upsert_records(self, batch, extra=None):
            sent.append(batch.loader.file_name)
            return super().upsert_records(batch, extra)

    ingest_directory(Watching(), tiny_world, "d1", restart=True)
    assert {"traders.csv", "persons.csv", "roles.csv", "premises.csv",
            "movements.csv"} <= set(sent)
    sent.clear()
    monkeypatch.setenv("GRAPHFRAUD_DEFER_STATEMENTS", "0")
    ingest_directory(Watching(), tiny_world, "d1", restart=True)
    assert sent == []
