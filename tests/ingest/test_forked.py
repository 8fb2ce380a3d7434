"""Work in a forked child of the collecting worker (`ingest.forked`): the items come back
in order from another process, the GRAPH.BULK batches are the same bytes as encoded in
one process, and a child's error or death is raised, never an empty or short result."""

from __future__ import annotations

import os
import signal
import time

import pytest
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest.collector import CollectorProcess
from graphfraud.ingest.forked import ForkedParts, can_fork, room_for_child
from graphfraud.ingest.run import ingest_directory
from graphfraud.store.base import StoreError
from graphfraud.store.falkordb_bulk import (
    BulkEncodingError,
    bulk_batches,
    node_ids_in_send_order,
    rel_parts,
)
from graphfraud.store.memory import CollectedRel, CollectingStore


def _graph(n: int) -> tuple[dict, list[CollectedRel]]:
    nodes = {"Tip": {f"t{i:04d}": {"tip_id": f"t{i:04d}", "text": "x" * (i % 40)}
                     for i in range(n)},
             "Area": {f"a{i}": {"area_id": f"a{i}", "n": i} for i in range(7)}}
    rels = [CollectedRel("ABOUT" if i % 3 else "NEAR", "Tip", f"t{i:04d}", "Area",
                         f"a{i % 7}", {"w": i, "sources": ["tips.csv"]}) for i in range(n)]
    return nodes, rels


def test_items_are_made_in_another_process_and_come_back_in_order():
    parent = os.getpid()
    forked = ForkedParts(lambda: ((i, os.getpid()) for i in range(5000)))
    items = list(forked)
    assert [i for i, _ in items] == list(range(5000))
    assert {pid for _, pid in items} != {parent} and len({pid for _, pid in items}) == 1


def test_batches_with_the_relationships_encoded_in_a_child_are_the_same_bytes():
    nodes, rels = _graph(3000)
    here = list(bulk_batches(nodes, rels, batch_bytes=20_000))
    forked = ForkedParts(lambda: rel_parts(rels, node_ids_in_send_order(nodes)))
    there = list(bulk_batches(nodes, rels, batch_bytes=20_000, encoded_rels=forked))
    assert len(here) > 5 and there == here


def test_an_error_in_the_child_is_raised_with_its_type_and_text():
    nodes, rels = _graph(10)
    rels.append(CollectedRel("ABOUT", "Tip", "nope", "Area", "a0", {}))
    forked = ForkedParts(lambda: rel_parts(rels, node_ids_in_send_order(nodes)))
    with pytest.raises(BulkEncodingError, match="ABOUT names a node not sent"):
        list(bulk_batches(nodes, rels, encoded_rels=forked))


def _dies_half_way():
    yield 1
    yield 2
    os.kill(os.getpid(), signal.SIGKILL)
    yield 3  # never reached


def test_a_child_that_dies_is_an_error_not_a_short_result():
    forked = ForkedParts(_dies_half_way)
    got = []
    with pytest.raises(StoreError, match="ended before its work was done.*signal 9"):
        for item in forked:
            got.append(item)
    assert 3 not in got  # what was written before it died may come (its buffer)


def _forever():
    while True:
        time.sleep(0.05)
        yield 0


def test_close_ends_a_child_still_at_work():
    forked = ForkedParts(_forever)
    pid = forked._pid
    assert pid is not None
    forked.close()
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_the_switch_keeps_the_work_in_the_worker(monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_BULK_FORK", "0")
    assert can_fork() is False
    monkeypatch.setenv("GRAPHFRAUD_BULK_FORK", "1")
    assert can_fork() is True


def test_no_child_without_the_memory_for_its_copy(tmp_path):
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmRSS:\t 4194304 kB\n")  # 4 GiB resident
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal: 8388608 kB\nMemAvailable: 3145728 kB\n")  # 3 GiB
    assert room_for_child(str(meminfo), str(status)) is True  # 2 GiB copy + 1 spare
    meminfo.write_text("MemTotal: 8388608 kB\nMemAvailable: 3000000 kB\n")
    assert room_for_child(str(meminfo), str(status)) is False
    assert room_for_child(str(tmp_path / "absent"), str(status)) is False


@pytest.mark.parametrize("fork", ["1", "0"])
def test_the_worker_sends_the_same_bytes_with_and_without_the_child(
        tiny_world, monkeypatch, fork):  # noqa: F811
    here = CollectingStore()
    ingest_directory(here, tiny_world, "d1", restart=True)
    monkeypatch.setenv("GRAPHFRAUD_BULK_FORK", fork)  # read by the worker process
    with CollectorProcess() as worker:
        ingest_directory(worker, tiny_world, "d1", restart=True)
        sent = list(worker.bulk_batches(50_000))
    assert len(sent) > 3 and sent == list(bulk_batches(here.nodes, here.rels.values(), 50_000))


def test_the_child_dies_with_the_worker(tmp_path):
    import subprocess
    import sys

    script = ("import sys, time\n"
              "from graphfraud.ingest.forked import ForkedParts\n"
              "def forever():\n"
              "    while True:\n"
              "        time.sleep(0.05)\n"
              "        yield 0\n"
              "f = ForkedParts(forever)\n"
              "print(f._pid, flush=True)\n"
              "time.sleep(60)\n")
    worker = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              text=True)
    try:
        child = int(worker.stdout.readline())
        os.kill(child, 0)  # alive while the worker lives
        worker.kill()
        worker.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:  # gone, or a zombie not yet reaped by the orphans' reaper
                with open(f"/proc/{child}/stat", encoding="ascii") as fh:
                    if fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                        break
            except FileNotFoundError:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the child {child} outlived its worker")
    finally:
        worker.kill()
        worker.wait()
