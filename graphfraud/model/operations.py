"""Graph writes as model types: what an ingest operation upserts, named by the schema.

A loader's operation is `(write, row)`: a `NodeWrite` upserts nodes of one label by its
key, a `LinkWrite` merges one relationship type between two labels. The batch groups rows
by the write and reads a relationship's key properties and single-valuedness from it; the
name of the Cypher statement that performs it is made only at the store edge
(`graphfraud.store.statements.statement_name`), so the fact travels as a type, not as a
string to be parsed back.

Both are frozen and compared by value; their hash is computed once, at construction
(the batch hashes one on every row it groups). `node_write` and `link_write` hand out
one shared instance per write, and check it against the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graphfraud.model.schema import NODE_TYPES, REL_TYPES, node_type, rel_type


@dataclass(frozen=True, slots=True)
class NodeWrite:
    """Create or update nodes of `label`, merged by the label's key property."""

    label: str
    #: the key property (the model's `NodeType.key`)
    key: str = field(init=False, compare=False, repr=False)
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", node_type(self.label).key)
        object.__setattr__(self, "_hash", hash(("node", self.label)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # rebuilt, not restored: a string's hash differs from one process to the next
        return node_write, (self.label,)


@dataclass(frozen=True, slots=True)
class LinkWrite:
    """Create or update `(:start)-[:rel]->(:end)` relationships between existing nodes."""

    rel: str
    start: str
    end: str
    #: properties that tell two relationships between the same nodes apart
    keys: tuple[str, ...] = field(init=False, compare=False, repr=False)
    #: at most one per start node: a new end replaces the old one (of either end label)
    single: bool = field(init=False, compare=False, repr=False)
    _hash: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        rt = rel_type(self.rel)
        if self.start not in rt.starts or self.end not in rt.ends:
            raise ValueError(f"the model has no (:{self.start})-[:{self.rel}]->(:{self.end});"
                             f" {self.rel} goes from {rt.start} to {rt.end}")
        object.__setattr__(self, "keys", tuple(rt.key))
        object.__setattr__(self, "single", rt.single)
        object.__setattr__(self, "_hash", hash(("link", self.rel, self.start, self.end)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, tuple[str, str, str]]:
        return link_write, (self.rel, self.start, self.end)


Write = NodeWrite | LinkWrite
#: one ingest operation: the write and its statement row (`key`/`props` for a node;
#: `start`, `end`, `props` and the relationship's key properties for a link)
Op = tuple[Write, dict[str, Any]]


@cache
def node_write(label: str) -> NodeWrite:
    """The upsert of `label` (one shared instance; KeyError names an unknown label)."""
    return NodeWrite(label)


@cache
def link_write(rel: str, start: str, end: str) -> LinkWrite:
    """The link of `rel` from `start` to `end` (one shared instance; an unknown type or
    a pair of labels the model does not declare for it is refused)."""
    return LinkWrite(rel, start, end)


def all_writes() -> tuple[Write, ...]:
    """Every write the schema declares: a node upsert per label, then a link per
    relationship type and pair of endpoint labels, in the schema's order."""
    nodes = tuple(node_write(nt.label) for nt in NODE_TYPES)
    links = tuple(link_write(rt.type, s, e) for rt in REL_TYPES
                  for s in rt.starts for e in rt.ends)
    return nodes + links
