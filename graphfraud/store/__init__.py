"""Open the configured graph store: Neo4j, or the embedded FalkorDB by default."""

from __future__ import annotations

from graphfraud.config import Settings, load_settings
from graphfraud.store.base import (
    GraphStore,
    QueryResult,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)


def open_store(settings: Settings | None = None, store: str | None = None) -> GraphStore:
    """The store named by `store` (embedded | neo4j) or by the settings."""
    settings = settings or load_settings()
    kind = store or settings.store
    if kind == "neo4j":
        from graphfraud.store.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    if kind == "embedded":
        from graphfraud.store.falkordb_store import FalkorDBStore

        return FalkorDBStore.from_settings(settings)
    raise StoreError(f"unknown store {kind!r}: use embedded or neo4j")


__all__ = ["GraphStore", "QueryResult", "ReadOnlyViolation", "StoreError",
           "StoreUnavailable", "open_store"]
