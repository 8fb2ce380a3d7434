"""Community and centrality detection server-side, in Neo4j Graph Data Science.

The same weighted, undirected trader graph that `supplier_networks.network_edges` builds
(and `graphs.communities`/`graphs.pagerank` run in igraph) is projected into the GDS
catalog from an edge-list parameter (`cypher/gds/gds_project_weighted.cypher`, a Cypher
aggregation projection), Leiden or Louvain and PageRank stream their results back, and
the projection is dropped. Nodes are sent as integer ids (their index in the sorted node
list) so the projection needs no node lookups; parallel edges are summed and self-loops
dropped first, exactly as `graphs._igraph` does, so both engines see the same graph.

`source="stored"` builds the same projection inside the server from the stored graph
(`cypher/gds/gds_project_stored.cypher`: the ties of `network_edges` computed in Cypher
and aggregated straight into the catalog), so no edge list crosses Bolt; only the ties
the graph does not hold go as a parameter (`extra`: the candidate suppliers that
detection decides, `supplier_networks.decided_candidates`), and only the sorted node
names come back (to name GDS's integer ids).

Only the named queries in `cypher/gds/` are sent; this module holds no Cypher.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graphfraud.detect.graphs import Edge
from graphfraud.detect.supplier_networks import MAX_SHARED
from graphfraud.store.base import GraphStore, StoreError

SEED = 42


class ProjectionMismatch(StoreError):
    """The stored graph's projection does not hold the caller's nodes (the inputs were
    not read from this graph as it is now): use the edge list instead."""


@dataclass(frozen=True)
class Projection:
    """A projection in the GDS catalog and the names of its integer node ids."""

    graph_name: str
    nodes: list[str]
    node_count: int
    relationship_count: int


def merged_edges(nodes: list[str], edges: Iterable[Edge]) -> list[dict[str, float | int]]:
    """Edge-list parameter rows: ends as indexes into `nodes`, parallel edges summed,
    self-loops dropped (the graph igraph builds in `graphs._igraph`)."""
    index = {n: i for i, n in enumerate(nodes)}
    merged: dict[tuple[int, int], float] = {}
    for a, b, w in edges:
        if a == b:
            continue
        i, j = index[a], index[b]
        key = (i, j) if i < j else (j, i)
        merged[key] = merged.get(key, 0.0) + float(w)
    return [{"source": i, "target": j, "weight": w} for (i, j), w in sorted(merged.items())]


def gds_available(store: GraphStore) -> str | None:
    """The GDS version if the store is a Neo4j with GDS, else None."""
    if store.kind != "neo4j":
        return None
    try:
        rows = store.run("gds_version")
    except StoreError:
        return None
    return rows[0]["version"] if rows else None


@contextmanager
def projected(store: GraphStore, nodes: list[str], edges: Iterable[Edge],
              ) -> Iterator[Projection]:
    """Project the weighted undirected graph; drop it when the block ends.

    Isolated nodes are not in the projection (a Cypher projection only sees edge ends);
    callers give them their own community and the PageRank of a node without edges."""
    nodes = sorted(set(nodes))
    name = f"graphfraud-{uuid.uuid4().hex[:12]}"
    params = merged_edges(nodes, edges)
    if not params:  # an aggregation over no rows projects no graph: nothing to drop
        yield Projection(name, nodes, 0, 0)
        return
    rows = store.run("gds_project_weighted", {"graph_name": name, "edges": params})
    try:
        info = rows[0] if rows else {}
        yield Projection(name, nodes, int(info.get("node_count") or 0),
                         int(info.get("relationship_count") or 0))
    finally:
        store.run("gds_graph_drop", {"graph_name": name})


@contextmanager
def projected_stored(store: GraphStore, extra: Iterable[Edge] = ()) -> Iterator[Projection]:
    """Project the trader graph inside the server from the stored graph, with `extra`
    ties added; drop it when the block ends. `Projection.nodes` is the server's sorted
    node list (GDS's integer ids index into it)."""
    name = f"graphfraud-{uuid.uuid4().hex[:12]}"
    rows = [{"a": min(a, b), "b": max(a, b), "weight": float(w)} for a, b, w in extra
            if a != b]
    info = store.run("gds_project_stored", {"graph_name": name, "max_shared": MAX_SHARED,
                                            "extra": rows})
    if not info:  # no tie at all: the aggregation saw no rows and projected nothing
        yield Projection(name, [], 0, 0)
        return
    try:
        yield Projection(name, list(info[0]["nodes"]), int(info[0]["node_count"] or 0),
                         int(info[0]["relationship_count"] or 0))
    finally:
        store.run("gds_graph_drop", {"graph_name": name})


@contextmanager
def _projection(store: GraphStore, nodes: list[str], edges: Iterable[Edge], source: str,
                extra: Iterable[Edge]) -> Iterator[Projection]:
    if source == "stored":
        with projected_stored(store, extra) as proj:
            yield proj
    elif source == "bolt":
        with projected(store, nodes, edges) as proj:
            yield proj
    else:
        raise ValueError(f"source must be bolt or stored, not {source!r}")


def communities(store: GraphStore, nodes: list[str], edges: list[Edge], seed: int = SEED,
                algorithm: str = "leiden", max_levels: int = 10, source: str = "bolt",
                extra: Iterable[Edge] = (), expect_nodes: bool = False) -> dict[str, int]:
    """Node -> community id in GDS (Leiden or Louvain, weighted modularity), ids ordered
    by the community's smallest node name as in `graphs.communities`. `source="stored"`
    projects from the stored graph (`edges` are then not sent, `extra` is);
    `expect_nodes` raises `ProjectionMismatch` unless that projection holds exactly
    `nodes` (the ends of the caller's ties)."""
    if algorithm not in ("leiden", "louvain"):
        raise ValueError(f"algorithm must be leiden or louvain, not {algorithm!r}")
    nodes = sorted(set(nodes))
    if not nodes:
        return {}
    with _projection(store, nodes, edges, source, extra) as proj:
        if expect_nodes and proj.nodes != nodes:
            raise ProjectionMismatch(f"the stored projection holds {len(proj.nodes)} "
                                     f"traders, the detector's graph {len(nodes)}")
        params: dict[str, object] = {"graph_name": proj.graph_name, "max_levels": max_levels}
        if algorithm == "leiden":
            params["seed"] = seed  # GDS Louvain has no seed: concurrency 1 fixes its order
        rows = store.run(f"gds_{algorithm}_stream", params) if proj.relationship_count else []
    raw: dict[str, object] = {proj.nodes[int(r["node"])]: r["community"] for r in rows}
    for n in nodes:  # isolated nodes: a community of their own
        raw.setdefault(n, ("isolated", n))
    first: dict[object, str] = {}
    for n in nodes:
        first.setdefault(raw[n], n)
    order = {c: i for i, c in enumerate(sorted(first, key=first.__getitem__))}
    return {n: order[raw[n]] for n in nodes}


def pagerank(store: GraphStore, nodes: list[str], edges: list[Edge], damping: float = 0.85,
             tolerance: float = 1e-10, max_iterations: int = 1000, source: str = "bolt",
             extra: Iterable[Edge] = ()) -> dict[str, float]:
    """Weighted PageRank in GDS, normalised to sum to 1 (as igraph and networkx give it);
    `source` and `extra` as in `communities`."""
    nodes = sorted(set(nodes))
    if not nodes:
        return {}
    with _projection(store, nodes, edges, source, extra) as proj:
        rows = store.run("gds_pagerank_stream", {"graph_name": proj.graph_name,
                                                 "damping": damping, "tolerance": tolerance,
                                                 "max_iterations": max_iterations}) \
            if proj.relationship_count else []
    raw = {proj.nodes[int(r["node"])]: float(r["score"]) for r in rows}
    base = 1.0 - damping  # GDS's score of a node nobody points at
    for n in nodes:
        raw.setdefault(n, base)
    total = sum(raw.values()) or 1.0
    return {n: raw[n] / total for n in nodes}
