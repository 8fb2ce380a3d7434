"""The bulk load's graph collected in a worker process (`ingest.collector`) is the one the
in-process `CollectingStore` collects, down to the GRAPH.BULK bytes; a write the worker
refuses is raised at the next read, and a worker that dies is said, not waited for."""

from __future__ import annotations

import pytest
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest.collector import CollectorProcess
from graphfraud.ingest.run import ingest_directory
from graphfraud.store.base import StoreError
from graphfraud.store.falkordb_bulk import bulk_batches
from graphfraud.store.memory import CollectingStore

PROV = {"source": "test", "delivery": "d1", "legal_basis": "investigation"}


@pytest.fixture
def worker():
    store = CollectorProcess()
    yield store
    store.close()


def test_the_worker_collects_the_graph_the_store_collects(tiny_world, worker):  # noqa: F811
    here = CollectingStore()
    ours = ingest_directory(here, tiny_world, "d1", restart=True)
    theirs = ingest_directory(worker, tiny_world, "d1", restart=True)
    assert theirs.resolution == ours.resolution and ours.resolution["mentions"] > 0
    assert [(f.file, f.read, f.loaded, f.quarantined) for f in theirs.files] == \
        [(f.file, f.read, f.loaded, f.quarantined) for f in ours.files]
    assert worker.counts() == here.counts()
    expected = list(bulk_batches(here.nodes, here.rels.values(), 50_000))
    assert len(expected) > 3
    assert list(worker.bulk_batches(50_000)) == expected


def test_a_refused_write_is_raised_at_the_next_read(worker):
    assert worker.upsert("upsert_tip", [{"key": "t1", "props": {"text": "x"}}],
                         extra=PROV) == 1
    worker.upsert_many([("drop_everything", [{"key": "t2"}])], extra=PROV)  # not waited for
    with pytest.raises(StoreError, match="drop_everything"):
        worker.counts()
    assert worker.counts()["nodes"] == {"Tip": 1}  # the error is reported once


def test_a_worker_that_died_is_reported(worker):
    worker._proc.kill()
    worker._proc.wait()
    with pytest.raises(StoreError, match="collecting process ended unexpectedly"):
        worker.counts()
    worker.close()  # closing a dead worker is quiet


def test_close_ends_the_worker(worker):
    worker.sync()
    worker.close()
    assert worker._proc.returncode == 0


def test_the_worker_ends_when_its_parent_is_killed():
    """A bulk load killed with kill -9 leaves no worker holding the graph's memory."""
    import os
    import signal
    import subprocess
    import sys
    import time

    code = ("from graphfraud.ingest.collector import CollectorProcess; import time; "
            "c = CollectorProcess(); c.sync(); print(c._proc.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    worker_pid = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    state = "R"
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{worker_pid}/stat", encoding="ascii") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            state = "gone"
        if state in ("Z", "X", "gone"):
            break
        time.sleep(0.1)
    assert state in ("Z", "X", "gone"), f"worker {worker_pid} still {state}"
