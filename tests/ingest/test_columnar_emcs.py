"""The folded EMCS rows parsed column-wise (`columnar.parsed_dicts`) give what
`Loader.parse_row` gives row by row (the records, the errors, the raw cells the
quarantine keeps), and the ingest makes the same graph and quarantine both ways, on the
generated tiny and small worlds and the phase-4 fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_deferred_statements import small_world  # noqa: F401  (a fixture)
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest import columnar
from graphfraud.ingest.emcs.loader import EmcsLoader, prepare
from graphfraud.ingest.run import _parse_each, ingest_directory
from graphfraud.store.falkordb_bulk import bulk_batches
from graphfraud.store.memory import CollectingStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "emcs"


def _emcs_rows(directory: Path) -> list:
    return list(prepare(CollectingStore(), directory / "emcs").rows())


def _parsed(parsed) -> list:
    return [(n, raw(), rec, errors) for n, raw, rec, errors in parsed]


@pytest.mark.parametrize("world", ["tiny_world", "small_world"])
def test_the_folded_rows_parse_the_same(world, request):
    rows = _emcs_rows(request.getfixturevalue(world))
    assert len(rows) > (20 if world == "tiny_world" else 100)
    loader = EmcsLoader()
    wide = _parsed(columnar.parsed_dicts(loader, iter(rows), chunk_rows=7))
    each = _parsed(_parse_each(loader, iter(rows)))
    assert wide == each
    assert sum(rec is not None for _, _, rec, _ in wide) > len(rows) // 2


def test_broken_cells_give_the_same_errors():
    rows = _emcs_rows(FIXTURES / "d1") + _emcs_rows(FIXTURES / "d2")
    assert rows
    bad = []
    for i, (n, raw) in enumerate(rows * 3):
        raw = dict(raw)
        if i % 3 == 1:
            raw["quantity"], raw["dispatched_at"] = "-4", "2024-13-40"
        elif i % 3 == 2:
            raw["epc"], raw["status"] = "", "\u00a0accepted"
        bad.append((n, raw))
    loader = EmcsLoader()
    wide = _parsed(columnar.parsed_dicts(loader, iter(bad), chunk_rows=4))
    assert wide == _parsed(_parse_each(loader, iter(bad)))
    assert sum(bool(errors) for _, _, _, errors in wide) >= len(bad) * 2 // 3


def _graph(store: CollectingStore) -> tuple:
    return (store.counts(), store.nodes, list(store.rels.items()),
            list(bulk_batches(store.nodes, store.rels.values(), 50_000)))


@pytest.mark.parametrize("world", ["tiny_world", "small_world", "fixtures"])
def test_the_ingest_is_the_same_both_ways(world, request, monkeypatch, tmp_path):
    if world == "fixtures":
        directory = tmp_path / "d1"
        shutil.copytree(FIXTURES / "d1", directory)
    else:
        directory = request.getfixturevalue(world)
    quarantine = directory / ".graphfraud" / "quarantine" / "emcs.csv"
    wide = CollectingStore()
    ours = ingest_directory(wide, directory, "d1", restart=True)
    q_wide = quarantine.read_text(encoding="utf-8") if quarantine.exists() else None
    monkeypatch.setattr(columnar, "parsed_dicts", lambda loader, rows: _parse_each(loader, rows))
    each = CollectingStore()
    theirs = ingest_directory(each, directory, "d1", restart=True)
    q_each = quarantine.read_text(encoding="utf-8") if quarantine.exists() else None
    assert [(f.file, f.read, f.loaded, f.quarantined) for f in ours.files] == \
        [(f.file, f.read, f.loaded, f.quarantined) for f in theirs.files]
    assert q_wide == q_each
    assert _graph(wide) == _graph(each)
    assert any(f.file == "emcs" and f.loaded > 0 for f in ours.files)
