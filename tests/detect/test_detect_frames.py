"""The inputs as Arrow tables and their hash: the data, not how a store returned it."""

from __future__ import annotations

import copy

import pytest

from graphfraud.detect.frames import frames_hash, rows_to_columns, to_frame
from graphfraud.detect.inputs import SIGNAL_QUERIES, DetectionInputs


def _rows():
    return {"signal_movements": [
        {"arc": "A1", "consignor": "W1", "quantity": 100.0, "plates": ["P2", "P1"]},
        {"arc": "A2", "consignor": "W1", "quantity": 2.5, "plates": []},
        {"arc": "A2", "consignor": "W2", "quantity": None, "plates": ["P3"]}],
        "signal_traders": [{"trader_id": "T1", "lat": 51.0, "is_chain": False}]}


def _hash(rows):
    return DetectionInputs.from_rows(rows).data_hash()


def test_the_hash_leaves_out_how_a_store_returned_the_data():
    base = _rows()
    other = copy.deepcopy(base)
    other["signal_movements"][0].update(quantity=100, plates=["P1", "P2"])  # 1 vs 1.0
    other["signal_movements"].reverse()  # ties and order
    other["signal_movements"] = [dict(reversed(list(r.items())))  # column order
                                 for r in other["signal_movements"]]
    assert _hash(base) == _hash(other)


@pytest.mark.parametrize("change", [
    lambda r: r["signal_movements"][1].update(quantity=2.6),
    lambda r: r["signal_movements"][0].update(plates=["P1"]),
    lambda r: r["signal_movements"].pop(),
    lambda r: r["signal_traders"][0].update(is_chain=None),
    lambda r: r["signal_traders"][0].update(lat="51.0"),
])
def test_the_hash_sees_every_change_of_the_data(change):
    rows = _rows()
    changed = copy.deepcopy(rows)
    change(changed)
    assert _hash(rows) != _hash(changed)


def test_columns_and_rows_give_the_same_inputs():
    rows = _rows()
    by_columns = DetectionInputs.from_columns(
        {q: rows_to_columns(rows.get(q, [])) for q in SIGNAL_QUERIES})
    by_rows = DetectionInputs.from_rows(rows)
    assert by_columns.rows == by_rows.rows
    assert by_columns.data_hash() == by_rows.data_hash()
    frame = by_columns.frame("signal_movements")
    assert frame.num_rows == 3 and frame.column("quantity").to_pylist() == [100, 2.5, None]
    assert frames_hash({}, ["x"]) != frames_hash({"x": to_frame(["a"], [[1]])}, ["x"])


@pytest.mark.neo4j
def test_both_stores_give_the_same_inputs_hash(stores, tmp_path_factory):
    from graphfraud.detect.runner import load_inputs
    from graphfraud.synth import generate_world
    from ingest.run import ingest_directory

    out = tmp_path_factory.mktemp("frames") / "tiny"
    generate_world("tiny", 5, out)
    got = {}
    for kind, st in stores.items():
        ingest_directory(st, out, "tiny", restart=True)
        inputs, _ = load_inputs(st)
        assert inputs.frame("signal_movements").num_rows > 0
        got[kind] = inputs.data_hash()
    assert got["embedded"] == got["neo4j"]
