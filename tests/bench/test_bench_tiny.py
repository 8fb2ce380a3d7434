"""Each benchmark runs at scale tiny and writes the JSON keys its table and the scaling
curve read (timings are not asserted: this machine's load varies)."""

from __future__ import annotations

import json

import pytest

import bench.common as common


@pytest.fixture
def bench_env(tmp_path, monkeypatch):
    """Work, results and plot under tmp; Neo4j on ports apart from tests and benchmarks."""
    monkeypatch.setattr(common, "WORK", tmp_path / "work")
    monkeypatch.setattr(common, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(common, "BOLT_PORT", 28687)
    monkeypatch.setattr(common, "HTTP_PORT", 28474)
    monkeypatch.setattr(common, "NEO4J_HEAP", "768m")
    monkeypatch.setattr(common, "NEO4J_PAGECACHE", "256m")
    import bench.scaling as scaling

    monkeypatch.setattr(scaling, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(scaling, "PLOT", tmp_path / "scaling.png")
    return tmp_path


def _run(name: str) -> dict:
    from bench.__main__ import run_one

    run_one(name, "tiny")
    return json.loads((common.RESULTS / f"{name}-tiny.json").read_text())


def test_bench_ingest_embedded_tiny_keys(bench_env):
    doc = _run("ingest_embedded")
    e = doc["embedded"]
    for key in ("rows", "seconds", "parse_seconds", "load_seconds", "resolve_seconds",
                "rows_per_s", "nodes", "relationships"):
        assert key in e
    assert e["nodes"] > 0 and e["quarantined"] == 0
    b = doc["bulk"]
    assert (b["nodes"], b["relationships"]) == (e["nodes"], e["relationships"])
    assert b["load_seconds"] == pytest.approx(b["bulk_seconds"] + b["index_seconds"], abs=0.01)
    assert "ingest_embedded-tiny" in json.loads((common.RESULTS / "latest.json").read_text())


@pytest.mark.neo4j
@pytest.mark.slow
def test_bench_ingest_neo4j_tiny_keys(bench_env, monkeypatch):
    import bench.ingest_neo4j as ing

    monkeypatch.setattr(ing, "NAIVE_SECONDS_PER_FILE", 0.3)
    doc = _run("ingest_neo4j")
    for method in ("graphfraud", "graphfraud_bulk", "graphfraud_bolt", "load_csv", "naive",
                   "admin_import"):
        assert doc[method]["rows_per_s"] is not None, method
    assert (doc["graphfraud_bulk"]["route"], doc["graphfraud_bolt"]["route"]) == ("admin", "bolt")
    assert doc["naive"]["extrapolated"] is True
    assert doc["admin_import"]["nodes"] == doc["admin_import"]["expected_nodes"]
    assert doc["admin_import"]["nodes"] == doc["graphfraud"]["nodes"]
    for bulk in ("graphfraud_bulk", "graphfraud_bolt"):
        assert (doc[bulk]["nodes"], doc[bulk]["relationships"]) == (
            doc["graphfraud"]["nodes"], doc["graphfraud"]["relationships"]), bulk
    assert set(doc["ratios"]) == {"graphfraud_vs_load_csv", "graphfraud_vs_naive",
                                  "admin_import_vs_load_csv", "graphfraud_bulk_vs_load_csv",
                                  "graphfraud_bolt_vs_load_csv"}


@pytest.mark.neo4j
@pytest.mark.slow
def test_bench_detection_queries_scaling_tiny_keys(bench_env):
    det = _run("detection")
    assert set(det["detectors"]) >= {"factory_site", "supplier_network"}
    assert all({"seconds", "peak_mib"} <= set(v) for v in det["detectors"].values())
    algos = det["algorithms"]
    assert {"igraph", "rustworkx", "gds"} <= set(algos["pagerank_seconds"])
    assert {"igraph_leiden", "gds_leiden"} <= set(algos["communities_seconds"])
    qry = _run("queries")
    for kind in ("embedded", "neo4j"):
        n1 = qry[kind]["bench_neighbourhood_1hop"]
        assert {"p50_ms", "p95_ms"} <= set(n1), n1
    sc = _run("scaling")
    assert sc["scales"] == ["tiny"] and sc["points"][0]["rows"] > 0


def test_bench_profile_tiny_writes_every_report(bench_env):
    doc = _run("profile")
    detect = (common.RESULTS / doc["profiles"]["detect"]["file"]).read_text()
    parse = (common.RESULTS / doc["profiles"]["parse"]["file"]).read_text()
    bulk = (common.RESULTS / doc["profiles"]["bulk_encode"]["file"]).read_text()
    assert "runner.py" in detect and "(detect)" in detect
    assert "(ingest_directory)" in parse and "(parse_row)" in parse
    assert "(bulk_batches)" in bulk and "(encode_rows)" in bulk
