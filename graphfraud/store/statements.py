"""Where a typed write becomes the name of its Cypher statement: the store edge.

Above the store, ingest operations carry `NodeWrite`/`LinkWrite` (`graphfraud.model.
operations`); `GraphStore.upsert_many` asks `statement_name` for the generated load
statement in `cypher/load/` that performs each one (named by `graphfraud.model.loadgen`,
which writes those files). A caller may still name a write statement itself (a string
passes through): the cases, the detection runner and entity resolution do.
"""

from __future__ import annotations

from functools import cache

from graphfraud.model.loadgen import link_name, upsert_name
from graphfraud.model.operations import LinkWrite, NodeWrite, Write, all_writes


def statement_name(write: Write | str) -> str:
    """The name of the statement that performs `write` (a name is returned as given)."""
    if type(write) is str:
        return write
    return _name_of(write)  # type: ignore[arg-type]


@cache
def _name_of(write: Write) -> str:
    if isinstance(write, NodeWrite):
        return upsert_name(write.label)
    if isinstance(write, LinkWrite):
        return link_name(write.rel, write.start, write.end)
    raise TypeError(f"not a graph write: {write!r}")


def write_named(name: str) -> Write | None:
    """The typed write a generated load statement performs, None for any other name
    (for a caller that names the statement, e.g. to the in-memory store)."""
    return _by_name().get(name)


@cache
def _by_name() -> dict[str, Write]:
    return {_name_of(w): w for w in all_writes()}
