"""The reads a collecting store answers empty whatever it holds (`EMPTY_READS`) are
answered by `CollectorProcess` itself, without waiting for the worker: the answer is the
one the worker's store gives, and the parse does not stall on the batches sent before."""

from __future__ import annotations

import pytest
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest.collector import CollectorProcess
from graphfraud.ingest.run import ingest_directory
from graphfraud.store.memory import EMPTY_READS, CollectingStore


def test_the_empty_reads_are_empty_in_a_store_that_holds_a_world(tiny_world):  # noqa: F811
    here = CollectingStore()
    ingest_directory(here, tiny_world, "d1", restart=True)
    assert sum(len(t) for t in here.nodes.values()) > 100
    for name in sorted(EMPTY_READS):
        assert list(here.stream(name, {"arcs": ["x"]})) == []


def test_the_worker_is_not_asked_for_an_empty_read():
    store = CollectorProcess()
    try:
        def no_round_trip(*_a, **_k):
            raise AssertionError("asked the worker")

        store._call = no_round_trip  # type: ignore[method-assign]
        assert list(store.stream("emcs_events_by_arc", {"arcs": ["ARC1"]})) == []
        assert list(store.stream("known_traders")) == []
        with pytest.raises(AssertionError, match="asked the worker"):
            list(store.stream("er_mentions"))
    finally:
        del store._call
        store.close()
