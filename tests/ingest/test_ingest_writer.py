"""The ingest's writer thread: a failed batch stops the run with its error, and progress
is reported only for batches that are in the graph."""

from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory
from graphfraud.store import StoreError
from graphfraud.store.memory import CollectingStore


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("tiny-writer") / "world"
    generate_world("tiny", 5, out)
    return out


class FailingStore(CollectingStore):
    """Collects in memory and fails on the n-th batch."""

    def __init__(self, fail_on: int) -> None:
        super().__init__()
        self.batches = 0
        self.fail_on = fail_on

    def upsert_many(self, items, extra=None) -> int:
        self.batches += 1
        if self.batches == self.fail_on:
            raise StoreError("batch refused")
        return super().upsert_many(items, extra)


def test_a_failed_batch_stops_the_run_with_its_error(tiny_world):
    store = FailingStore(fail_on=3)
    with pytest.raises(StoreError, match="batch refused"):
        ingest_directory(store, tiny_world, restart=True, resolve=False, batch_size=50)
    assert store.batches == 3  # nothing was sent after the failed batch


def test_progress_counts_only_batches_in_the_graph(tiny_world):
    store = CollectingStore()
    seen: list[tuple[str, int, int]] = []

    def progress(name: str, rows: int) -> None:
        seen.append((name, rows, len(store.nodes["Trader"])))

    ingest_directory(store, tiny_world, restart=True, resolve=False, batch_size=50,
                     progress=progress)
    traders = [(rows, in_graph) for name, rows, in_graph in seen if name == "traders.csv"]
    assert traders and all(in_graph >= rows for rows, in_graph in traders)
