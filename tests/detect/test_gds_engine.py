"""`--engine gds` projects the trader graph inside Neo4j from the stored graph (only the
candidate-supplier ties sent) and gives findings byte-identical to the Bolt projection,
which stays the fallback (`GRAPHFRAUD_GDS_PROJECTION=bolt`, or a stored projection that
does not hold the detector's nodes). Real Neo4j with GDS, the tiny world."""

from __future__ import annotations

import json

import pytest
from _gds_world import gds_loaded

from graphfraud.detect import gds, runner
from graphfraud.detect.runner import CommunityEngine, load_inputs, load_weights
from graphfraud.detect.supplier_networks import (
    candidate_ties,
    decided_candidates,
    network_edges,
)


@pytest.fixture(scope="module")
def tiny_neo4j(neo4j_settings, tmp_path_factory):
    from graphfraud.synth import generate_world

    world = tmp_path_factory.mktemp("gdsengine") / "tiny"
    generate_world("tiny", 7, world)
    with gds_loaded(neo4j_settings, world) as st:
        yield st


def _findings_json(doc) -> str:
    return json.dumps([f.to_dict() for f in doc.findings], sort_keys=True)


def _spy(monkeypatch):
    calls = {"stored": 0, "bolt": 0}
    real_stored, real_bolt = gds.projected_stored, gds.projected

    def stored(*a, **k):
        calls["stored"] += 1
        return real_stored(*a, **k)

    def bolt(*a, **k):
        calls["bolt"] += 1
        return real_bolt(*a, **k)

    monkeypatch.setattr(gds, "projected_stored", stored)
    monkeypatch.setattr(gds, "projected", bolt)
    return calls


@pytest.mark.neo4j
def test_engine_gds_projects_the_stored_graph_with_the_bolt_findings(tiny_neo4j, monkeypatch):
    calls = _spy(monkeypatch)
    monkeypatch.delenv(runner.GDS_PROJECTION_ENV, raising=False)
    stored = runner.detect(tiny_neo4j, dataset="tiny", write=False, engine="gds")
    assert calls == {"stored": 1, "bolt": 0}
    monkeypatch.setenv(runner.GDS_PROJECTION_ENV, "bolt")
    bolt = runner.detect(tiny_neo4j, dataset="tiny", write=False, engine="gds")
    assert calls == {"stored": 1, "bolt": 1}
    assert stored.run.community_engine == bolt.run.community_engine == "gds"
    assert any(f.kind == "supplier_network" for f in bolt.findings)
    assert _findings_json(stored) == _findings_json(bolt)


@pytest.mark.neo4j
def test_a_stored_projection_without_the_detectors_nodes_falls_back_to_bolt(tiny_neo4j):
    inputs, _ = load_inputs(tiny_neo4j)
    candidates = decided_candidates(inputs, load_weights()["thresholds"]["phoenix_months"])
    nodes, edges, _ties = network_edges(inputs, candidates)
    extra = candidate_ties(candidates)
    engine = CommunityEngine(tiny_neo4j, "gds")
    assert engine(nodes, edges, 42, extra) == gds.communities(tiny_neo4j, nodes, edges)
    assert engine.projected == "stored"
    tie = ("ZZ:only-here-1", "ZZ:only-here-2", 1.0)  # a tie the stored graph cannot hold
    more = [*nodes, tie[0], tie[1]]
    found = engine(more, [*edges, tie], 42, extra)
    assert engine.projected == "bolt"
    assert found == gds.communities(tiny_neo4j, more, [*edges, tie])
    assert found[tie[0]] == found[tie[1]]


def test_the_projection_switch_is_checked(monkeypatch):
    monkeypatch.setenv(runner.GDS_PROJECTION_ENV, "spark")
    with pytest.raises(ValueError, match="GRAPHFRAUD_GDS_PROJECTION"):
        CommunityEngine(None, "gds")
    assert CommunityEngine(None, "gds", projection="bolt").projection == "bolt"
    monkeypatch.delenv(runner.GDS_PROJECTION_ENV)
    assert CommunityEngine(None, "gds").projection == "stored"


@pytest.mark.neo4j
def test_supplier_networks_pass_the_candidate_ties_to_the_partition(tiny_neo4j):
    """The detector stays pure: the partition gets the nodes, the ties, the seed and the
    candidate ties (the part of the ties the stored graph does not hold)."""
    from graphfraud.detect import graphs
    from graphfraud.detect.supplier_networks import detect_supplier_networks

    inputs, _ = load_inputs(tiny_neo4j)
    weights = load_weights()
    seen = []

    def partition(nodes, edges, seed, extra):
        seen.append(extra)
        return graphs.communities(nodes, edges, seed=seed)

    thresholds = weights["thresholds"]
    with_partition = detect_supplier_networks(inputs, weights["supplier_network"], thresholds,
                                              partition=partition)
    plain = detect_supplier_networks(inputs, weights["supplier_network"], thresholds)
    candidates = decided_candidates(inputs, thresholds["phoenix_months"])
    assert seen == [candidate_ties(candidates)]
    assert [f.record(rank=1).to_dict() for f in with_partition] == \
        [f.record(rank=1).to_dict() for f in plain]
