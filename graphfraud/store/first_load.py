"""First-load planning for the Neo4j writer: which rows of a batch are certainly new.

A MERGE costs an index seek and a lock per row, and a single-valued link's replacement
check (`OPTIONAL MATCH … DELETE`) two Eager operators; on a first load none of it finds
anything. So the writer remembers which labels held no node when it began and every key
(node, relationship, single-valued start) it has sent since. A row whose label was empty
and whose key it has not sent yet cannot exist in the graph: it goes to the statement's
`fresh_` twin (CREATE, no read, generated beside it by `graphfraud.model.loadgen`); any
other row goes to the ordinary statement, after the new ones of the same statement, so
the order of writes to one key is kept.

Keys are remembered by their hash: a collision can only send a new row down the ordinary
path (always correct), never an existing one down the CREATE path. The unique key
constraint on every label makes a node CREATE fail rather than duplicate if another
writer got there first (the store then sends the batch again the ordinary way and stops
planning). Any write that is not an upsert through this planner (`forget`) or a
`clear()` makes it start again from the labels' counts. Pure logic: no I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphfraud.model.loadgen import fresh_name, link_name, upsert_name
from graphfraud.model.schema import NODE_TYPES, REL_TYPES


@dataclass(frozen=True)
class Target:
    """What a load statement writes: a node label, or a link type between two labels."""

    label: str  # the node's label, or the link's start label
    rel: str = ""  # the relationship type ("" for a node statement)
    end: str = ""
    key: tuple[str, ...] = ()  # the relationship's key properties
    single: bool = False


def _targets() -> dict[str, Target]:
    out = {upsert_name(nt.label): Target(nt.label) for nt in NODE_TYPES}
    for rt in REL_TYPES:
        for start in rt.starts:
            for end in rt.ends:
                out[link_name(rt.type, start, end)] = Target(
                    start, rt.type, end, tuple(rt.key), bool(rt.single))
    return out


TARGETS = _targets()
Batch = list[tuple[str, list[dict[str, Any]]]]


@dataclass
class FirstLoadPlanner:
    """The writer's memory of a first load (one per store object; see the module)."""

    enabled: bool = True
    fresh: set[str] | None = None  # labels empty when planning began; None: not known yet
    nodes: set[int] = field(default_factory=set)
    rels: set[int] = field(default_factory=set)
    singles: set[int] = field(default_factory=set)
    created: int = 0  # rows sent to a fresh_ statement (for the load's figures)

    @property
    def needs_counts(self) -> bool:
        return self.enabled and self.fresh is None

    def begin(self, present: Iterable[str]) -> None:
        """Start from the labels that hold nodes now: every other label is fresh."""
        held = set(present)
        self.fresh = {nt.label for nt in NODE_TYPES} - held
        self.nodes, self.rels, self.singles = set(), set(), set()

    def forget(self) -> None:
        """Another write touched the graph: ask the counts again before the next batch."""
        self.fresh = None
        self.nodes, self.rels, self.singles = set(), set(), set()

    def disable(self) -> None:
        self.enabled = False
        self.forget()

    def plan(self, items: Iterable[tuple[str, list[dict[str, Any]]]]) -> Batch | None:
        """The batch with each statement's new rows moved to its `fresh_` twin (placed
        just before it); None when a statement is not a schema upsert (the caller then
        sends the batch as it is and calls `forget`)."""
        if not self.enabled or self.fresh is None:
            return None
        out: Batch = []
        for name, rows in items:
            target = TARGETS.get(name)
            if target is None:
                return None
            if target.label not in self.fresh:
                out.append((name, rows))
                continue
            new, old = (self._split_node(target, rows) if not target.rel
                        else self._split_link(target, rows))
            if new:
                out.append((fresh_name(name), new))
                self.created += len(new)
            if old:
                out.append((name, old))
        return out

    def _split_node(self, t: Target, rows: list[dict[str, Any]]):
        new, old = [], []
        seen = self.nodes
        for row in rows:
            if row.get("key") is None:  # MERGE refuses a null key; CREATE would not
                old.append(row)
                continue
            h = hash((t.label, row["key"]))
            if h in seen:
                old.append(row)
            else:
                seen.add(h)
                new.append(row)
        return new, old

    def _split_link(self, t: Target, rows: list[dict[str, Any]]):
        new, old = [], []
        rels, singles = self.rels, self.singles
        for row in rows:
            keys = tuple(row.get(k) for k in t.key)
            if None in keys:  # as for nodes: the MERGE statement gives its own error
                old.append(row)
                continue
            rid = hash((t.rel, t.label, t.end, row.get("start"), row.get("end"), *keys))
            if t.single:
                # new only if the start node has no link of this type yet (any end label)
                sid = hash((t.rel, t.label, row.get("start")))
                is_new = sid not in singles
                singles.add(sid)
            else:
                is_new = rid not in rels
            rels.add(rid)
            (new if is_new else old).append(row)
        return new, old
