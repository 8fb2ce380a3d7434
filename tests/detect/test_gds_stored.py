"""GDS on the stored graph: the projection made inside Neo4j from the stored ties is the
graph the Bolt edge list projects, so Leiden, Louvain and PageRank give the same answers
(real Neo4j with GDS, a generated world)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _gds_world import gds_loaded

from graphfraud.detect import gds
from graphfraud.detect.gds import merged_edges
from graphfraud.detect.runner import load_inputs, load_weights
from graphfraud.detect.supplier_networks import decided_candidates, network_edges

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def small_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("gdsstored") / "world"
    generate_world("small", 7, out)
    return out


@pytest.fixture(scope="module")
def loaded(neo4j_settings, small_world):
    """The world in Neo4j, and the trader graph detection builds from it in Python."""
    with gds_loaded(neo4j_settings, small_world) as st:
        inputs, _ = load_inputs(st)
        candidates = decided_candidates(inputs, load_weights()["thresholds"]["phoenix_months"])
        nodes, edges, _ties = network_edges(inputs, candidates)
        extra = [(a, b, w) for (a, b), w in candidates.items()]
        yield st, nodes, edges, extra


def test_the_stored_projection_is_the_bolt_projection(loaded):
    st, nodes, edges, extra = loaded
    want = merged_edges(sorted(set(nodes)), edges)
    assert len(want) > 200  # a graph worth comparing
    with gds.projected_stored(st, extra) as stored, \
            gds.projected(st, nodes, edges) as bolt:
        assert stored.nodes == sorted(set(nodes))
        assert (stored.node_count, stored.relationship_count) == (
            bolt.node_count, bolt.relationship_count)


@pytest.mark.parametrize("algorithm", ["leiden", "louvain"])
def test_stored_communities_equal_the_bolt_communities(loaded, algorithm):
    st, nodes, edges, extra = loaded
    bolt = gds.communities(st, nodes, edges, algorithm=algorithm)
    stored = gds.communities(st, nodes, [], algorithm=algorithm, source="stored", extra=extra)
    assert stored == bolt
    assert len(set(bolt.values())) > 10


def test_stored_pagerank_equals_the_bolt_pagerank(loaded):
    st, nodes, edges, extra = loaded
    bolt = gds.pagerank(st, nodes, edges)
    stored = gds.pagerank(st, nodes, [], source="stored", extra=extra)
    assert set(stored) == set(bolt)
    assert max(abs(bolt[n] - stored[n]) for n in bolt) < 1e-9


def test_extra_ties_are_projected_as_the_bolt_edges_are(loaded):
    st, nodes, edges, extra = loaded
    tie = ("ZZ:extra-1", "ZZ:extra-2", 0.7)  # ties the graph cannot give (see the module)
    with gds.projected_stored(st, [*extra, tie]) as stored, \
            gds.projected(st, [*nodes, tie[0], tie[1]], [*edges, tie]) as bolt, \
            gds.projected_stored(st, extra) as without:
        assert stored.nodes[-2:] == [tie[0], tie[1]]
        assert (stored.node_count, stored.relationship_count) == (
            bolt.node_count, bolt.relationship_count)
        assert stored.node_count == without.node_count + 2
