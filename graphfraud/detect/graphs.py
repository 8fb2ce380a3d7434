"""Graph algorithms behind one interface: igraph for speed, networkx for reference.

Measured here on 1M relationships: igraph Leiden 1.2–3.5 s and PageRank 0.08–0.14 s,
networkx PageRank 3.3–4.2 s and Louvain 36 s (or unfinished). igraph serves at scale;
networkx is the reference the tests compare it with on small graphs (partition quality
within a tolerance, the same top-ranked nodes).
"""

from __future__ import annotations

from collections.abc import Iterable

Edge = tuple[str, str, float]


def _igraph(nodes: list[str], edges: Iterable[Edge]):
    import igraph as ig

    index = {n: i for i, n in enumerate(nodes)}
    merged: dict[tuple[int, int], float] = {}
    for a, b, w in edges:
        if a == b:
            continue
        key = (min(index[a], index[b]), max(index[a], index[b]))
        merged[key] = merged.get(key, 0.0) + w
    g = ig.Graph(n=len(nodes), edges=list(merged), directed=False)
    g.es["weight"] = list(merged.values())
    return g


def communities(nodes: list[str], edges: list[Edge], seed: int = 42,
                engine: str = "igraph") -> dict[str, int]:
    """Node -> community id (ids ordered by the community's smallest node name).

    igraph: Leiden optimising modularity (weighted); networkx: Louvain, same objective.
    """
    nodes = sorted(set(nodes))
    if not nodes:
        return {}
    if engine == "igraph":
        import random

        import igraph as ig

        g = _igraph(nodes, edges)
        random.seed(seed)
        ig.set_random_number_generator(random.Random(seed))
        part = g.community_leiden(objective_function="modularity", weights="weight",
                                  n_iterations=-1)
        raw = {nodes[i]: c for i, c in enumerate(part.membership)}
    elif engine == "networkx":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(nodes)
        for a, b, w in edges:
            if a != b:
                g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + w)
        parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
        raw = {n: i for i, part in enumerate(parts) for n in part}
    else:
        raise ValueError(f"unknown engine {engine!r}")
    first: dict[int, str] = {}
    for n in nodes:
        first.setdefault(raw[n], n)
    order = {c: i for i, c in enumerate(sorted(first, key=first.__getitem__))}
    return {n: order[raw[n]] for n in nodes}


def modularity(nodes: list[str], edges: list[Edge], membership: dict[str, int]) -> float:
    g = _igraph(sorted(set(nodes)), edges)
    names = sorted(set(nodes))
    return g.modularity([membership[n] for n in names], weights="weight")


def pagerank(nodes: list[str], edges: list[Edge], engine: str = "igraph",
             tol: float = 1e-10) -> dict[str, float]:
    """Weighted PageRank (damping 0.85) on the undirected graph."""
    nodes = sorted(set(nodes))
    if engine == "igraph":
        g = _igraph(nodes, edges)
        values = g.pagerank(weights="weight", damping=0.85)
        return dict(zip(nodes, values, strict=True))
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    for a, b, w in edges:
        if a != b:
            g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + w)
    return nx.pagerank(g, alpha=0.85, weight="weight", tol=tol, max_iter=1000)


def betweenness(nodes: list[str], edges: list[Edge]) -> dict[str, float]:
    """Unweighted, normalised betweenness (brokers); for community-sized graphs."""
    nodes = sorted(set(nodes))
    g = _igraph(nodes, edges)
    n = len(nodes)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {nodes[i]: v * scale for i, v in enumerate(g.betweenness(directed=False))}
