"""Paths between two entities: the shortest one, and the shortest that respects time.

Both searches run in Python, a breadth-first step at a time over `explorer_step` (all
relationships of the frontier in one query), so they behave the same on Neo4j and on the
embedded engine (whose `shortestPath` is directed only) and stay bounded: `max_hops`
steps and a `budget` of relationship rows read in total.

A *time-respecting* path is one where every dated step happens on or after the step
before it: a precursor delivery, then the premise it went to, then a seizure there — not
a seizure followed by the delivery that "explains" it. Dates are ISO strings compared on
the day (`YYYY-MM-DD`); undated nodes and relationships (a trader, an address) do not
constrain the order. The search keeps, per node, the earliest time it can be reached
and the path that reaches it then; it returns the path with the fewest steps among the
time-respecting ones (earliest arrival breaks ties).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphfraud.explore.graph import Node, Subgraph
from graphfraud.explore.neighbourhood import EntityRef, find_node, nodes_by_ids
from graphfraud.store.base import GraphStore

DEFAULT_MAX_HOPS = 6
DEFAULT_BUDGET = 50_000

#: The date of a node, in the order `explorer_step` coalesces them.
NODE_DATE_PROPERTIES = ("dispatched_at", "seized_on", "received_on", "checked_on",
                        "granted_on", "at")


@dataclass
class PathResult:
    """A path as node ids and relationship ids in order, with each step's date."""

    node_ids: list[str]
    rel_ids: list[str]
    dates: list[str | None] = field(default_factory=list)
    subgraph: Subgraph = field(default_factory=Subgraph)

    @property
    def hops(self) -> int:
        return len(self.rel_ids)

    def steps(self) -> list[dict[str, Any]]:
        """The path as table rows: step, label, name, date, and the relationship in."""
        from graphfraud.explore.graph import caption_of, label_of

        rows = []
        for i, nid in enumerate(self.node_ids):
            node = self.subgraph.nodes.get(nid, {"_id": nid})
            rel = self.subgraph.edges.get(self.rel_ids[i - 1]) if i else None
            rows.append({"step": i, "via": (rel or {}).get("_type", ""),
                         "label": label_of(node), "name": caption_of(node, 60),
                         "date": self.dates[i] if i < len(self.dates) else None})
        return rows


def _day(value: Any) -> str | None:
    return str(value)[:10] if value else None


def node_date(node: Node) -> str | None:
    """The day a node happened on (movement dispatch, seizure, tip, check, licence,
    machine event), or None for undated entities."""
    for prop in NODE_DATE_PROPERTIES:
        if node.get(prop):
            return _day(node[prop])
    return None


def _resolve(store: GraphStore, ref: str | EntityRef | tuple[str, str]) -> Node:
    if isinstance(ref, EntityRef):
        return find_node(store, ref.label, ref.key)
    if isinstance(ref, tuple):
        return find_node(store, ref[0], ref[1])
    found = nodes_by_ids(store, [str(ref)])
    if not found:
        from graphfraud.explore.neighbourhood import EntityNotFound

        raise EntityNotFound(f"no node with id {ref!r}")
    return found[0]


class _Stepper:
    """Runs `explorer_step` within a shared row budget."""

    def __init__(self, store: GraphStore, budget: int) -> None:
        self.store = store
        self.left = budget
        self.exhausted = False

    def step(self, ids: list[str]) -> list[dict[str, Any]]:
        if not ids or self.left <= 0:
            self.exhausted = self.exhausted or bool(ids)
            return []
        rows = self.store.run("explorer_step", {"ids": sorted(ids), "limit": self.left})
        self.left -= len(rows)
        if self.left <= 0:
            self.exhausted = True
        rows = [{**r, "src": str(r["src"]), "dst": str(r["dst"]), "rel_id": str(r["rel_id"])}
                for r in rows]
        return sorted(rows, key=lambda r: (r["src"], r["type"], r["dst"], r["rel_id"]))


def _finish(store: GraphStore, result: PathResult) -> PathResult:
    sg = Subgraph()
    for n in nodes_by_ids(store, result.node_ids):
        sg.add_node(n)
    from graphfraud.explore.neighbourhood import add_links_among

    add_links_among(store, sg)
    sg.edges = {k: v for k, v in sg.edges.items() if k in set(result.rel_ids)}
    result.subgraph = sg
    if not result.dates:
        result.dates = [node_date(sg.nodes.get(n, {})) for n in result.node_ids]
    return result


def shortest_path(store: GraphStore, a: str | EntityRef | tuple[str, str],
                  b: str | EntityRef | tuple[str, str], max_hops: int = DEFAULT_MAX_HOPS,
                  budget: int = DEFAULT_BUDGET) -> PathResult | None:
    """A shortest path between `a` and `b` (ignoring direction), or None within
    `max_hops` steps and `budget` rows. `a`/`b`: internal id, `EntityRef` or (label, key).

    Bidirectional breadth-first search: each round expands the smaller frontier.
    """
    na, nb = _resolve(store, a), _resolve(store, b)
    ida, idb = str(na["_id"]), str(nb["_id"])
    if ida == idb:
        return _finish(store, PathResult([ida], []))
    stepper = _Stepper(store, budget)
    parents: list[dict[str, tuple[str, str] | None]] = [{ida: None}, {idb: None}]
    frontiers = [[ida], [idb]]
    depth = [0, 0]
    while depth[0] + depth[1] < max_hops and frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, other = parents[side], parents[1 - side]
        new: list[str] = []
        meets: list[str] = []
        for row in stepper.step(frontiers[side]):
            dst = row["dst"]
            if dst in mine:
                continue
            mine[dst] = (row["src"], row["rel_id"])
            new.append(dst)
            if dst in other:
                meets.append(dst)
        depth[side] += 1
        frontiers[side] = new
        if meets:
            meet = sorted(meets)[0]
            return _finish(store, _join(parents[0], parents[1], meet))
        if stepper.exhausted:
            break
    return None


def _chain(parents: dict[str, tuple[str, str] | None], end: str) -> tuple[list[str], list[str]]:
    nodes, rels = [end], []
    cur = end
    while parents[cur] is not None:
        prev, rel = parents[cur]  # type: ignore[misc]
        nodes.append(prev)
        rels.append(rel)
        cur = prev
    return nodes[::-1], rels[::-1]


def _join(pa: dict[str, tuple[str, str] | None], pb: dict[str, tuple[str, str] | None],
          meet: str) -> PathResult:
    n1, r1 = _chain(pa, meet)
    n2, r2 = _chain(pb, meet)
    return PathResult(n1 + n2[::-1][1:], r1 + r2[::-1])


def time_respecting_path(store: GraphStore, a: str | EntityRef | tuple[str, str],
                         b: str | EntityRef | tuple[str, str],
                         max_hops: int = DEFAULT_MAX_HOPS,
                         budget: int = DEFAULT_BUDGET) -> PathResult | None:
    """The fewest-steps path from `a` to `b` whose dated steps never go back in time,
    or None (see the module docstring). A path that exists but breaks the time order is
    not returned."""
    na, nb = _resolve(store, a), _resolve(store, b)
    ida, idb = str(na["_id"]), str(nb["_id"])
    start_t = node_date(na)
    # per node: (arrival time, parent node, rel id, hops); None time = no constraint yet
    best: dict[str, tuple[str | None, str | None, str | None, int]] = {
        ida: (start_t, None, None, 0)}
    stepper = _Stepper(store, budget)
    frontier = [ida]
    found: tuple[int, str] | None = None
    for hop in range(1, max_hops + 1):
        if not frontier or found:
            break
        improved: list[str] = []
        for row in stepper.step(frontier):
            src, dst = row["src"], row["dst"]
            t = best[src][0]
            if _on_path(best, src, dst):
                continue
            for d in (_day(row.get("rel_date")), _day(row.get("node_date"))):
                if d is None:
                    continue
                if t is not None and d < t:
                    t = "!"  # goes back in time
                    break
                t = d
            if t == "!":
                continue
            old = best.get(dst)
            if old is None or (old[0] is not None and (t is None or t < old[0])):
                best[dst] = (t, src, row["rel_id"], hop)
                if dst != idb:
                    improved.append(dst)
        if idb in best and best[idb][3] <= hop:
            found = (hop, idb)
        frontier = sorted(set(improved))
        if stepper.exhausted:
            break
    if idb not in best:
        return None
    nodes, rels, dates = [idb], [], [best[idb][0]]
    cur = idb
    while best[cur][1] is not None:
        _, parent, rel, _ = best[cur]
        rels.append(str(rel))
        nodes.append(str(parent))
        cur = str(parent)
        dates.append(best[cur][0])
    return _finish(store, PathResult(nodes[::-1], rels[::-1], dates[::-1]))


def _on_path(best: dict[str, tuple[str | None, str | None, str | None, int]], src: str,
             dst: str) -> bool:
    """Whether `dst` is already on the best path to `src` (no cycles)."""
    cur: str | None = src
    while cur is not None:
        if cur == dst:
            return True
        cur = best[cur][1]
    return False
