"""GDS parity: Leiden/Louvain and PageRank in Neo4j Graph Data Science agree with the
Python results (igraph) on the same weighted, undirected projection.

Tolerances: modularity within 0.02, compared as partition quality, not community ids
(Louvain's communities differ between seeds while its modularity moves by < 0.001);
PageRank at tolerance 1e-10 on both sides, so the ten top-ranked nodes are the same and
the values agree to 1e-6 (at that tolerance igraph, networkx and networkit agree to ~1e-6
on a 1M-edge graph; networkx's default tolerance differs by up to 1e-3).
"""

from __future__ import annotations

import random

import pytest
from _ci import unavailable

from graphfraud.detect import gds, graphs

pytestmark = pytest.mark.neo4j


def planted_graph(seed: int = 11, groups: int = 8, size: int = 25):
    """`groups` dense communities of `size` traders, weighted, with sparse bridges and
    a hub in each group (so PageRank has a clear top)."""
    rng = random.Random(seed)
    nodes = [f"KVK:{i:05d}" for i in range(groups * size)]
    edges: list[tuple[str, str, float]] = []
    for g in range(groups):
        members = nodes[g * size:(g + 1) * size]
        hub = members[0]
        for m in members[1:]:
            edges.append((hub, m, 1.0 + g * 0.1))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if rng.random() < 0.3:
                    edges.append((a, b, round(rng.uniform(0.2, 2.0), 3)))
    for _ in range(groups * 3):
        a, b = rng.sample(nodes, 2)
        edges.append((a, b, 0.1))
    edges.append((nodes[3], nodes[3], 5.0))  # a self-loop: dropped on both sides
    edges.append((nodes[1], nodes[2], 0.5))  # a parallel edge: summed on both sides
    return nodes, edges


@pytest.fixture(scope="module")
def neo4j(neo4j_settings):
    from graphfraud.store import open_store

    st = open_store(neo4j_settings, "neo4j")
    if gds.gds_available(st) is None:
        st.close()
        unavailable("this Neo4j has no Graph Data Science")
    yield st
    st.close()


@pytest.mark.parametrize("algorithm", ["leiden", "louvain"])
def test_gds_communities_match_igraph_modularity(neo4j, algorithm):
    nodes, edges = planted_graph()
    ours = graphs.communities(nodes, edges, seed=42, engine="igraph")
    theirs = gds.communities(neo4j, nodes, edges, seed=42, algorithm=algorithm)
    assert set(theirs) == set(nodes)
    q_ours = graphs.modularity(nodes, edges, ours)
    q_gds = graphs.modularity(nodes, edges, theirs)
    assert abs(q_ours - q_gds) <= 0.02, (q_ours, q_gds)
    assert len(set(theirs.values())) == pytest.approx(8, abs=2)


def test_gds_pagerank_same_top_ten_as_igraph(neo4j):
    nodes, edges = planted_graph()
    ours = graphs.pagerank(nodes, edges, engine="igraph")
    theirs = gds.pagerank(neo4j, nodes, edges, tolerance=1e-10)

    def top(r):
        return sorted(r, key=lambda n: (-r[n], n))[:10]
    assert top(theirs) == top(ours)
    assert max(abs(ours[n] - theirs[n]) for n in nodes) < 1e-6
    assert sum(theirs.values()) == pytest.approx(1.0)


def test_gds_projection_is_dropped_after_use(neo4j):
    nodes, edges = planted_graph(groups=2, size=5)
    with gds.projected(neo4j, nodes, edges) as proj:
        assert proj.node_count == len(nodes)
        name = proj.graph_name
    assert neo4j.run("gds_graph_drop", {"graph_name": name}) == []


def test_gds_merged_edges_drops_loops_and_sums_parallels():
    rows = gds.merged_edges(["a", "b", "c"], [("a", "b", 1.0), ("b", "a", 0.5),
                                               ("c", "c", 3.0)])
    assert rows == [{"source": 0, "target": 1, "weight": 1.5}]


def test_gds_without_edges_needs_no_projection(neo4j):
    assert gds.communities(neo4j, ["b", "a"], []) == {"a": 0, "b": 1}
    assert gds.pagerank(neo4j, ["a", "b"], []) == {"a": 0.5, "b": 0.5}


def test_community_engine_goes_to_gds_past_the_size_and_agrees(neo4j):
    from graphfraud.detect.runner import CommunityEngine

    nodes, edges = planted_graph()
    small = CommunityEngine(neo4j, "auto", min_edges=len(edges) + 1)
    big = CommunityEngine(neo4j, "auto", min_edges=len(edges))
    p_small, p_big = small(nodes, edges, 42), big(nodes, edges, 42)
    assert (small.used, big.used) == ("igraph", "gds")
    assert abs(graphs.modularity(nodes, edges, p_small)
               - graphs.modularity(nodes, edges, p_big)) < 0.02


def test_community_engine_never_picks_gds_without_a_neo4j():
    from graphfraud.detect.runner import CommunityEngine
    from graphfraud.store import StoreError

    nodes, edges = planted_graph()
    auto = CommunityEngine(None, "auto", min_edges=1)
    auto(nodes, edges, 42)
    assert auto.used == "igraph"
    with pytest.raises(StoreError, match="Graph Data Science"):
        CommunityEngine(None, "gds")(nodes, edges, 42)
    with pytest.raises(ValueError, match="engine must be one of"):
        CommunityEngine(None, "spark")
