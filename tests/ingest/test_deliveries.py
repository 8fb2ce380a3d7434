"""Nodes per delivery are counted at the end of an ingest and kept on Delivery nodes."""

from pathlib import Path

import pytest

from graphfraud.ingest.deliveries import count_per_delivery
from graphfraud.ingest.run import ingest_directory


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("tiny-deliveries") / "world"
    generate_world("tiny", 3, out)
    return out


def _kept(store) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in store.run("explorer_delivery_counts"):
        out.setdefault(r["delivery"], {})[r["label"]] = r["nodes"]
    return out


def test_counts_are_kept_and_match_a_full_count(store, tiny_dir):
    ingest_directory(store, tiny_dir, "tiny-a")
    kept = _kept(store)
    assert kept == count_per_delivery(store.run("explorer_nodes_per_delivery"))
    assert set(kept) == {"tiny-a"} and kept["tiny-a"]["Trader"] > 0
    assert "Delivery" not in kept["tiny-a"]
    row = store.read_cypher("MATCH (d:Delivery {delivery_id: 'tiny-a'}) "
                            "RETURN d.path AS path, d.files AS files").rows[0]
    assert row["path"] == str(tiny_dir) and "traders.csv" in row["files"]


def test_a_second_delivery_is_counted_and_a_rerun_changes_nothing(store, tiny_dir):
    ingest_directory(store, tiny_dir, "tiny-a")
    first = _kept(store)
    ingest_directory(store, tiny_dir, "tiny-a")
    assert _kept(store) == first
    ingest_directory(store, tiny_dir, "tiny-b", restart=True)  # the same files, a new delivery
    kept = _kept(store)
    assert set(kept) == {"tiny-a", "tiny-b"}
    assert kept["tiny-b"]["Trader"] == kept["tiny-a"]["Trader"]


def test_labels_that_are_no_data_are_not_counted():
    rows = [{"delivery": "d", "label": "Trader", "nodes": 3},
            {"delivery": "d", "label": "Delivery", "nodes": 1},
            {"delivery": "e", "label": "Finding", "nodes": 9}]
    assert count_per_delivery(rows) == {"d": {"Trader": 3}}
