"""A generated world ingests cleanly on both stores, counts match the files, re-runs
change nothing, and a run killed part-way resumes to the same graph."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory
from graphfraud.store.graphhash import graph_fingerprint


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("tiny") / "world"
    generate_world("tiny", 7, out)
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _expected_counts(world: Path) -> dict[str, int]:
    from graphfraud.ingest.emcs import read_movement_rows

    moves = _rows(world / "movements.csv") + read_movement_rows(world / "emcs")
    licences = _rows(world / "machine_licences.csv")
    checks = _rows(world / "retail_checks.csv")
    return {
        "Trader": len(_rows(world / "traders.csv")),
        "Person": len(_rows(world / "persons.csv")),
        "Premise": len(_rows(world / "premises.csv")),
        "Movement": len({m["arc"] for m in moves}),
        "MovementLine": len(moves),
        "Licence": len(licences),
        "Machine": len({r["machine_id"] for r in licences}),
        "MachineEvent": len(_rows(world / "machine_events.csv")),
        "RetailCheck": len({r["check_id"] for r in checks}),
        "CheckLine": len(checks),
        "EpsPack": len(_rows(world / "eps_packs.csv")),
        "Tip": len(_rows(world / "tips.csv")),
        "Seizure": len(_rows(world / "seizures.csv")),
    }


def test_clean_world_loads_without_quarantine_and_counts_match(store, tiny_world):
    report = ingest_directory(store, tiny_world, "tiny")
    bad = {f.file: f.quarantined for f in report.files if f.quarantined or f.status != "loaded"}
    assert bad == {}, json.dumps(bad)
    counts = {r["label"]: r["nodes"] for r in store.run("count_by_label")}
    expected = _expected_counts(tiny_world)
    assert {k: counts.get(k, 0) for k in expected} == expected
    rels = {r["type"]: r["relationships"] for r in store.run("count_by_type")}
    assert rels["HAS_ROLE"] == len(_rows(tiny_world / "roles.csv"))
    assert rels["HAS_LINE"] == expected["MovementLine"]
    assert report.resolution["linked"] > 0


def test_every_node_knows_its_source_and_legal_basis(store, tiny_world):
    ingest_directory(store, tiny_world, "tiny")
    missing = store.read_cypher(
        "MATCH (n) WHERE n.sources IS NULL OR n.legal_bases IS NULL OR n.deliveries IS NULL "
        "RETURN labels(n) AS l, count(*) AS c").rows
    assert missing == []
    tip = store.read_cypher("MATCH (t:Tip) RETURN t.legal_bases AS b, t.sources AS s LIMIT 1")
    assert tip.rows == [{"b": ["investigation"], "s": ["tips.csv"]}]


def test_three_ingests_leave_the_graph_unchanged(store, tiny_world):
    ingest_directory(store, tiny_world, "tiny")
    first = graph_fingerprint(store)
    for _ in range(2):
        ingest_directory(store, tiny_world, "tiny")
        assert graph_fingerprint(store) == first
    assert first["nodes"] > 1000


def test_killed_ingest_resumes_to_the_same_graph(store, tiny_world, test_env, tmp_path):
    import shutil

    world = tmp_path / "world"
    shutil.copytree(tiny_world, world, ignore=shutil.ignore_patterns(".graphfraud"))
    ingest_directory(store, world, "tiny")
    reference = graph_fingerprint(store)
    store.clear()
    shutil.rmtree(world / ".graphfraud")
    env = dict(test_env)
    cmd = [sys.executable, "-m", "graphfraud.cli", "ingest", str(world), "--store", store.kind,
           "--batch-size", "20", "--delivery", "tiny"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoints = world / ".graphfraud"
    deadline = time.monotonic() + 120
    killed_in = None
    while time.monotonic() < deadline and proc.poll() is None:
        for cp in checkpoints.glob("checkpoint-*.json"):
            try:
                data = json.loads(cp.read_text())
            except ValueError:
                continue
            if data.get("eps_packs.csv", {}).get("rows_done", 0) > 100:
                killed_in = data["eps_packs.csv"]["rows_done"]
        if killed_in:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait(timeout=30)
    assert killed_in, "the ingest finished before it could be killed"
    assert graph_fingerprint(store) != reference  # really cut part-way
    resumed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    eps_line = next(line for line in resumed.stdout.splitlines() if line.startswith("eps_packs"))
    assert int(eps_line.split()[5]) >= killed_in  # resumed_from
    assert graph_fingerprint(store) == reference
