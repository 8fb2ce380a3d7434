"""Shared by the GDS tests: a generated world loaded into the real Neo4j with GDS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _ci import unavailable


@contextmanager
def gds_loaded(neo4j_settings, world: Path) -> Iterator:
    """The Neo4j store holding `world` alone (emptied again after); a Neo4j without
    Graph Data Science is `unavailable` (a failure in CI)."""
    from graphfraud.detect import gds
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store import open_store

    st = open_store(neo4j_settings, "neo4j")
    if gds.gds_available(st) is None:
        st.close()
        unavailable("this Neo4j has no Graph Data Science")
    st.clear()
    st.apply_schema()
    ingest_directory(st, world, world.name)
    try:
        yield st
    finally:
        st.clear()
        st.close()
