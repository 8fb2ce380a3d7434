"""Bulk loading is a capability the store seam declares (`supports_bulk`), not one the
bulk ingest guesses from a store's type or attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.ingest.bulk import bulk_ingest
from graphfraud.store.base import GraphStore, StoreError
from graphfraud.store.falkordb_store import FalkorDBStore
from graphfraud.store.memory import CollectingStore
from graphfraud.store.neo4j_store import Neo4jStore


def test_each_store_declares_whether_it_loads_in_bulk() -> None:
    assert GraphStore.supports_bulk is False
    assert FalkorDBStore.supports_bulk is True
    assert Neo4jStore.supports_bulk is False
    assert CollectingStore.supports_bulk is False


def test_a_store_without_the_capability_refuses_both_paths(tmp_path: Path) -> None:
    store = CollectingStore()  # a GraphStore that has bulk_insert from the seam only
    with pytest.raises(StoreError, match="has no bulk load"):
        store.bulk_insert(iter([]))
    with pytest.raises(StoreError, match="export-import-csv"):
        bulk_ingest(store, tmp_path)
    assert store.counts() == {"nodes": {}, "relationships": {}}  # nothing was parsed
