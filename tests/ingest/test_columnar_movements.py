"""The movements' statement rows written straight into the batch (`operations_into`)
are those the per-row operations give once grouped, batch by batch, on a generated world
and on a delivery of broken rows; and the whole ingest gives the same graph either way."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from test_ingest_broken_rows import broken_delivery  # noqa: F401  (a fixture)
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest import columnar
from graphfraud.ingest.framework import RefIndex, open_csv
from graphfraud.ingest.movements import MovementLoader
from graphfraud.ingest.run import LOADERS, FileReport, _valid_batches, ingest_directory
from graphfraud.store.memory import CollectingStore
from graphfraud.store.statements import statement_name


class PerRowMovements(MovementLoader):
    """The per-row path: operations, then `group_operations`."""

    operations_into = None


def _batches(loader, directory: Path, refs: RefIndex, batch_size: int) -> tuple[list, list]:
    rejections: list = []
    rows = columnar.parsed_rows(loader, open_csv(directory / loader.file_name, loader),
                                rejections)
    report = FileReport(loader.file_name)
    out = [(batch(), count, last) for batch, count, last in
           _valid_batches(rows, loader, refs, report, rejections, batch_size)]
    return out, rejections


def _refs_before_movements(directory: Path) -> RefIndex:
    refs = RefIndex()
    for cls in LOADERS:
        if cls is MovementLoader:
            return refs
        if (directory / cls.file_name).exists():
            _batches(cls(), directory, refs, 500)
    return refs


@pytest.mark.parametrize("batch_size", [7, 2000])
def test_movement_batches_are_the_grouped_operations(tiny_world, batch_size):  # noqa: F811
    refs = _refs_before_movements(tiny_world)
    new, r_new = _batches(MovementLoader(), tiny_world, copy.deepcopy(refs), batch_size)
    old, r_old = _batches(PerRowMovements(), tiny_world, copy.deepcopy(refs), batch_size)
    assert len(new) > 1 if batch_size == 7 else len(new) >= 1
    assert new == old and r_new == r_old
    names = {statement_name(write) for items, _, _ in new for write, _ in items}
    assert {"upsert_movement", "upsert_address", "link_delivered_to__movement_address",
            "link_carried_by__movement_vehicle"} <= names


def test_broken_movements_give_the_same_batches(broken_delivery):  # noqa: F811
    refs = _refs_before_movements(broken_delivery)
    new, r_new = _batches(MovementLoader(), broken_delivery, copy.deepcopy(refs), 3)
    old, r_old = _batches(PerRowMovements(), broken_delivery, copy.deepcopy(refs), 3)
    assert new == old and r_new == r_old
    assert sum(count for _, count, _ in new) == 2 and len(r_new) >= 10


def test_the_ingest_makes_the_same_graph_both_ways(tiny_world, monkeypatch):  # noqa: F811
    fast = CollectingStore()
    ingest_directory(fast, tiny_world, "d1", restart=True)
    monkeypatch.setenv("GRAPHFRAUD_COLUMNAR", "0")
    monkeypatch.setattr(MovementLoader, "operations_into", None)
    slow = CollectingStore()
    ingest_directory(slow, tiny_world, "d1", restart=True)
    assert fast.counts() == slow.counts()
    assert fast.nodes == slow.nodes
    assert fast.rels == slow.rels
