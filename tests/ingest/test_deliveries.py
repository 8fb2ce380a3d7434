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


def test_a_first_delivery_is_counted_from_what_it_wrote_as_the_scan_counts(store, tiny_dir,
                                                                             monkeypatch):
    """A new delivery's counts come from the keys its statements wrote (no scan), and
    they are the scan's; a re-run of a delivery is counted by the scan again."""
    from graphfraud.ingest import deliveries

    scans: list[str] = []
    run = store.run

    def watched(name, *args, **kwargs):
        if name == "explorer_nodes_per_delivery":
            scans.append(name)
        return run(name, *args, **kwargs)

    monkeypatch.setattr(store, "run", watched)
    ingest_directory(store, tiny_dir, "tiny-a")
    ingest_directory(store, tiny_dir, "tiny-b", restart=True)
    assert scans == []  # both counted from what they wrote
    full = count_per_delivery(run("explorer_nodes_per_delivery"))
    assert _kept(store) == full and full["tiny-b"]["Trader"] > 0
    ingest_directory(store, tiny_dir, "tiny-b")  # a re-run: nodes may carry it already
    assert scans == ["explorer_nodes_per_delivery"] and _kept(store) == full
    assert deliveries.MAX_KEYS > 0


def test_a_delivery_whose_run_was_cut_is_counted_by_the_scan(store, tiny_dir):
    """A first run cut after its first rows leaves its Delivery node (written before any
    row) and nodes of its own; the next run of that delivery counts them too."""
    from graphfraud.ingest import deliveries

    with deliveries.counting(store, "cut") as counter:
        assert counter.exact
        store.upsert("upsert_trader", [{"key": "T-ONLY-IN-THE-CUT-RUN", "props": {}}],
                     extra={"source": "traders.csv", "delivery": "cut",
                            "legal_basis": "register"})
    # (the run stops here: no counts recorded)
    ingest_directory(store, tiny_dir, "cut", restart=True)
    kept = _kept(store)
    assert kept == count_per_delivery(store.run("explorer_nodes_per_delivery"))
    assert kept["cut"]["Trader"] == count_per_delivery(
        store.run("explorer_nodes_per_delivery"))["cut"]["Trader"]
    again = store.read_cypher("MATCH (t:Trader) WHERE 'cut' IN t.deliveries "
                              "RETURN count(t) AS n").rows[0]["n"]
    assert kept["cut"]["Trader"] == again


def test_a_counter_gives_up_past_its_key_limit(monkeypatch):
    from graphfraud.ingest import deliveries

    monkeypatch.setattr(deliveries, "MAX_KEYS", 3)
    counter = deliveries.DeliveryCounter(exact=True)
    rows = [{"key": f"T{i}", "props": {}} for i in range(2)]
    counter.note([("upsert_trader", rows), ("link_x", rows)], {"delivery": "d"}, "d")
    counter.note([("upsert_trader", rows)], {"delivery": "other"}, "d")
    assert counter.exact and counter.counts() == {"Trader": 2}
    counter.note([("upsert_person", [{"key": f"P{i}"} for i in range(2)])],
                 {"delivery": "d"}, "d")
    assert not counter.exact and counter.counts() == {}
