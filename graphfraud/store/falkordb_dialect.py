"""Free Cypher on the embedded engine: answer as Neo4j would, or refuse clearly."""

from __future__ import annotations

from graphfraud.store.base import StoreError


class DialectRefused(StoreError):
    """The embedded engine would answer this query differently from Neo4j."""


def prepare(text: str) -> str:
    return text
