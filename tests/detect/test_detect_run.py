"""Detect end to end on a tiny world: reproducible, explained, evidence that exists."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from graphfraud.detect.graphs import communities, modularity, pagerank
from graphfraud.detect.runner import detect, reproducible
from graphfraud.detect.scoring import combine, waterfall
from graphfraud.ingest.run import ingest_directory
from graphfraud.model import node_type


def test_score_is_the_noisy_or_and_parts_add_up():
    assert combine([0.5, 0.5]) == pytest.approx(0.75)
    assert combine([]) == 0.0
    parts = waterfall([0.45, 0.35, 0.2])
    assert sum(parts) == pytest.approx(combine([0.45, 0.35, 0.2]))
    assert parts[0] == pytest.approx(0.45) and all(p > 0 for p in parts)


def _planted_graph(seed: int = 3):
    rng = random.Random(seed)
    nodes = [f"n{i:03d}" for i in range(120)]
    edges = []
    for block in range(4):
        members = nodes[block * 30:(block + 1) * 30]
        for a in members:
            for b in rng.sample(members, 6):
                edges.append((a, b, 1.0))
    for _ in range(20):
        edges.append((rng.choice(nodes), rng.choice(nodes), 0.2))
    return nodes, edges


def test_igraph_and_networkx_agree_on_a_small_graph():
    nodes, edges = _planted_graph()
    ig_part = communities(nodes, edges, engine="igraph")
    nx_part = communities(nodes, edges, engine="networkx")
    q_ig, q_nx = modularity(nodes, edges, ig_part), modularity(nodes, edges, nx_part)
    assert abs(q_ig - q_nx) <= 0.02 and q_ig > 0.5
    pr_ig, pr_nx = pagerank(nodes, edges, "igraph"), pagerank(nodes, edges, "networkx")
    top = lambda pr: [n for n, _ in sorted(pr.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]  # noqa: E731
    assert top(pr_ig) == top(pr_nx)
    assert max(abs(pr_ig[n] - pr_nx[n]) for n in nodes) < 1e-6


@pytest.fixture(scope="session")
def tiny_world_dir(tmp_path_factory):
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("detect") / "tiny"
    generate_world("tiny", 5, out)
    return out


def test_detect_is_reproducible_and_every_reason_has_evidence_in_the_graph(store,
                                                                            tiny_world_dir):
    ingest_directory(store, tiny_world_dir, "tiny", restart=True)
    first = reproducible(detect(store, "tiny")).to_dict()
    second = reproducible(detect(store, "tiny")).to_dict()
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)
    assert first["findings"], "the tiny world has planted cases; detect found nothing"
    assert {f["kind"] for f in first["findings"]} >= {"factory_site", "diversion"}
    refs = set()
    for f in first["findings"]:
        assert f["reasons"], f["id"]
        assert sum(r["part"] for r in f["reasons"]) == pytest.approx(f["score"], abs=1e-5)
        for r in f["reasons"]:
            assert r["refs"], (f["id"], r["signal"])
            refs.update(r["refs"])
    present = set()
    for row in store.stream("graph_nodes"):
        label = sorted(row["labels"])[0]
        present.add(f"{label}:{row['props'].get(node_type(label).key)}")
    missing = sorted(refs - present)
    assert missing == []
    written = store.read_cypher("MATCH (f:Finding)-[:CONCERNS]->() RETURN count(DISTINCT f) AS c")
    assert written.rows[0]["c"] == len(first["findings"])


def test_concurrent_signal_reads_equal_one_by_one(store, tiny_world_dir):
    from graphfraud.detect.inputs import SIGNAL_QUERIES
    from graphfraud.detect.runner import load_inputs

    ingest_directory(store, tiny_world_dir, "tiny", restart=True)
    serial, serial_times = load_inputs(store, workers=1)
    together, times = load_inputs(store, workers=4)
    assert together.rows == serial.rows
    assert together.movement_frame.equals(serial.movement_frame)
    assert together.data_hash() == serial.data_hash()
    assert list(times) == list(serial_times) == list(SIGNAL_QUERIES)
    assert serial.movement_frame.height, "the tiny world has e-ADs"


def test_parts_of_the_movements_cover_every_arc_once():
    from graphfraud.detect.runner import DIGITS, arc_parts

    for movements in (0, 1, 49_999, 50_001, 200_000, 10_000_000):
        parts = arc_parts(movements)
        assert len(parts) == min(10, max(1, -(-movements // 50_000)))
        assert [p["last"] for p in parts] == [False] * (len(parts) - 1) + [True]
        picked = [c for p in parts[:-1] for c in p["chars"]]
        assert len(picked) == len(set(picked)) and sorted(parts[-1]["chars"]) == sorted(picked)
        assert set(picked) < set(DIGITS) or len(parts) == 1


def test_movements_read_in_parts_equal_one_read(store, tiny_world_dir, monkeypatch):
    from graphfraud.detect import runner

    ingest_directory(store, tiny_world_dir, "tiny", restart=True)
    whole, _ = runner.load_inputs(store)
    monkeypatch.setattr(runner, "PART_ROWS", 1)  # ten parts and the rest
    parted, _ = runner.load_inputs(store)
    assert len(runner.arc_parts(1000, 1)) == 10
    assert parted.movement_frame.height > 100
    assert parted.movement_frame.equals(whole.movement_frame)
    assert parted.data_hash() == whole.data_hash()


def test_cli_detect_json_is_byte_identical(embedded_settings, test_env, tiny_world_dir):
    run = lambda *a: subprocess.run([sys.executable, "-m", "graphfraud.cli", *a], env=test_env,  # noqa: E731
                                    capture_output=True, text=True, timeout=300)
    assert run("ingest", str(tiny_world_dir), "--fresh").returncode == 0
    one = run("detect", "--format", "json", "--dataset", "tiny")
    two = run("detect", "--format", "json", "--dataset", "tiny")
    assert one.returncode == 0, one.stderr
    assert one.stdout == two.stdout
    doc = json.loads(one.stdout)
    assert set(doc) == {"dataset", "generated_at", "run", "findings"}
    scores = [f["score"] for f in doc["findings"]]
    assert scores and scores == sorted(scores, reverse=True)  # highest score first
    for kind in {f["kind"] for f in doc["findings"]}:  # and ranked 1, 2, … within its kind
        ranks = [f["rank"] for f in doc["findings"] if f["kind"] == kind]
        assert ranks == list(range(1, len(ranks) + 1)), kind
    ev = run("evaluate", "--truth", str(tiny_world_dir / "truth.json"), "--format", "json")
    assert ev.returncode == 0, ev.stderr
    assert "factory_site" in json.loads(ev.stdout)
