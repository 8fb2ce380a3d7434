"""The bulk load makes the same graph whether its graph is collected in-process
(`GRAPHFRAUD_COLLECT_WORKER=0`) or in the worker process (the default where there is a
second core), and the worker is gone after the load, also when the load fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_ingest_bulk import _copy, embedded, tiny_world  # noqa: F401  (fixtures)

import graphfraud.ingest.collector as collector
from graphfraud.ingest.bulk import bulk_ingest
from graphfraud.store.base import StoreError
from graphfraud.store.graphhash import graph_fingerprint


def test_both_collectors_load_the_same_graph(embedded, tiny_world, tmp_path,  # noqa: F811
                                             monkeypatch):
    data = _copy(tiny_world, tmp_path / "tiny")
    monkeypatch.setenv("GRAPHFRAUD_COLLECT_WORKER", "1")
    in_worker = bulk_ingest(embedded, data, "tiny", batch_bytes=200_000)
    reference = graph_fingerprint(embedded)
    embedded.clear()
    shutil.rmtree(data / ".graphfraud")
    monkeypatch.setenv("GRAPHFRAUD_COLLECT_WORKER", "0")
    in_process = bulk_ingest(embedded, data, "tiny", batch_bytes=200_000)
    assert graph_fingerprint(embedded) == reference
    assert (in_process.nodes, in_process.relationships, in_process.batches) == \
        (in_worker.nodes, in_worker.relationships, in_worker.batches)
    assert in_process.ingest.resolution == in_worker.ingest.resolution


def test_the_worker_is_closed_when_the_load_fails(embedded, tiny_world, tmp_path,  # noqa: F811
                                                  monkeypatch):
    made: list[collector.CollectorProcess] = []

    class Watched(collector.CollectorProcess):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    def refuse(batches):
        next(iter(batches))  # the worker has started sending the graph
        raise StoreError("the server refused the batch")

    monkeypatch.setenv("GRAPHFRAUD_COLLECT_WORKER", "1")
    monkeypatch.setattr(collector, "CollectorProcess", Watched)
    monkeypatch.setattr(embedded, "bulk_insert", refuse)
    with pytest.raises(StoreError, match="refused the batch"):
        bulk_ingest(embedded, _copy(tiny_world, Path(tmp_path) / "tiny"), "tiny",
                    batch_bytes=200_000)
    assert len(made) == 1 and made[0]._proc.poll() is not None  # ended, not left behind


def test_collect_worker_0_collects_in_process(embedded, tiny_world, tmp_path,  # noqa: F811
                                              monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_COLLECT_WORKER", "0")

    def no_worker():
        raise AssertionError("GRAPHFRAUD_COLLECT_WORKER=0 started a worker")

    monkeypatch.setattr(collector, "CollectorProcess", no_worker)
    report = bulk_ingest(embedded, _copy(tiny_world, tmp_path / "tiny"), "tiny")
    assert report.nodes > 1000


@pytest.mark.parametrize(("setting", "cpus", "expected"), [
    (None, 2, True), (None, 1, False), ("0", 8, False), ("1", 1, True)])
def test_the_worker_is_the_default_where_there_is_a_second_core(monkeypatch, setting, cpus,
                                                                 expected):
    if setting is None:
        monkeypatch.delenv("GRAPHFRAUD_COLLECT_WORKER", raising=False)
    else:
        monkeypatch.setenv("GRAPHFRAUD_COLLECT_WORKER", setting)
    monkeypatch.setattr(collector.os, "cpu_count", lambda: cpus)
    assert collector.enabled() is expected
