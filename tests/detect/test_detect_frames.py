"""The inputs as Arrow tables and their hash: the data, not how a store returned it."""

from __future__ import annotations

import copy

import pytest

from graphfraud.detect.frames import frames_hash, rows_to_columns, to_frame
from graphfraud.detect.inputs import COLUMNS_ONLY, SIGNAL_QUERIES, DetectionInputs


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
    # the movements are columns only: read from a store they have no rows at all
    assert by_columns.rows == {**by_rows.rows, **{q: [] for q in COLUMNS_ONLY}}
    assert by_columns.movement_frame.equals(by_rows.movement_frame)
    assert by_columns.movement_frame.height == 3
    assert by_columns.data_hash() == by_rows.data_hash()
    frame = by_columns.frame("signal_movements")
    assert frame.num_rows == 3 and frame.column("quantity").to_pylist() == [100, 2.5, None]
    assert frames_hash({}, ["x"]) != frames_hash({"x": to_frame(["a"], [[1]])}, ["x"])


@pytest.mark.neo4j
def test_both_stores_give_the_same_inputs_hash(stores, tmp_path_factory):
    from graphfraud.detect.runner import load_inputs
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("frames") / "tiny"
    generate_world("tiny", 5, out)
    got = {}
    for kind, st in stores.items():
        ingest_directory(st, out, "tiny", restart=True)
        inputs, _ = load_inputs(st)
        assert inputs.frame("signal_movements").num_rows > 0
        got[kind] = inputs.data_hash()
    assert got["embedded"] == got["neo4j"]


def test_lines_join_onto_their_e_ads_and_an_e_ad_without_lines_has_none():
    from graphfraud.detect.frames import join_lines

    movements = (["arc", "consignor"], [["A1", "A2", "A2"], ["W1", "W1", "W2"]])
    lines = (["arc", "epcs", "brands", "quantity", "short_lines"],
             [["A2"], [["T400"]], [["Acme"]], [12.5], [1]])
    names, values = join_lines(movements, lines)
    assert names == ["arc", "consignor", "epcs", "brands", "quantity", "short_lines"]
    assert values[2:] == [[[], ["T400"], ["T400"]], [[], ["Acme"], ["Acme"]], [0, 12.5, 12.5],
                          [0, 1, 1]]
    assert join_lines(([], []), ([], []))[0][-4:] == ["epcs", "brands", "quantity",
                                                      "short_lines"]


def test_movements_read_in_two_parts_carry_every_line(store, tmp_path_factory):
    """The joined e-ADs against the lines read one by one (an independent query)."""
    from collections import defaultdict

    from graphfraud.detect.runner import load_inputs
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("lines") / "tiny"
    generate_world("tiny", 5, out)
    ingest_directory(store, out, "tiny", restart=True)
    inputs, times = load_inputs(store)
    lines = store.read_cypher(
        "MATCH (m:Movement)-[:HAS_LINE]->(l:MovementLine) RETURN m.arc AS arc, "
        "l.epc AS epc, l.brand AS brand, l.quantity AS q, l.shortage_or_excess AS s",
        row_cap=100_000).rows
    want: dict[str, dict] = defaultdict(lambda: {"epcs": set(), "brands": set(), "q": 0.0,
                                                 "short": 0})
    for r in lines:
        w = want[r["arc"]]
        w["epcs"].add(r["epc"])
        w["brands"].add(r["brand"])
        w["q"] += r["q"] or 0
        w["short"] += r["s"] == "S"
    movements = inputs.movement_frame.to_dicts()
    assert movements and lines and times["signal_movements"] > 0
    for m in movements:
        w = want.get(m["arc"], {"epcs": set(), "brands": set(), "q": 0, "short": 0})
        assert (set(m["epcs"]), set(m["brands"]), m["short_lines"]) == (
            w["epcs"] - {None}, w["brands"] - {None}, w["short"]), m["arc"]
        assert m["quantity"] == pytest.approx(w["q"])


@pytest.mark.parametrize("values", [
    ["a", None, "b"], [1, None, 3], [True, False, None], [None, None],
    [1.0, 2.0, None], [1.0, 2.5], [1, 2.5, None], [float("inf"), 1.0], [1e20, 2.0],
    [["b", "a"], [], ["c"]], [[3, 1], [2]], [[1.0, 3.0], [2.0]], [[1.5, 0.5]],
    [["b", None], ["a"]], [{"x": 1.0}, None], ["a", 1], [[1, "a"]], [],
])
def test_column_wise_canonical_values_equal_the_value_by_value_ones(values):
    from graphfraud.detect.frames import to_frame_by_rows

    got, want = to_frame(["c"], [values]), to_frame_by_rows(["c"], [values])
    assert got.schema == want.schema and got.equals(want)
    assert frames_hash({"q": got}, ["q"]) == frames_hash({"q": want}, ["q"])


def test_lines_one_per_row_aggregate_as_the_engine_did():
    from graphfraud.detect.frames import lines_by_arc, with_plates

    lines = (["arc", "epc", "brand", "quantity", "shortage"],
             [["A1", "A1", "A2", "A1"], ["T200", "T400", None, "T200"],
              ["Acme", None, None, "Acme"], [825.7, 555.6, None, 1], ["S", None, "S", "E"]])
    names, values = lines_by_arc(lines)
    assert names == ["arc", "epcs", "brands", "quantity", "short_lines"]
    assert values == [["A1", "A2"], [["T200", "T400"], []], [["Acme"], []], [1382.3, 0],
                      [1, 1]]
    assert lines_by_arc(([], [])) == (names, [[], [], [], [], []])
    moved = with_plates((["arc"], [["A1", "A2"]]), (["arc", "plate"], [["A2", "A2"],
                                                                       ["P1", "P2"]]))
    assert moved == (["arc", "plates"], [["A1", "A2"], [[], ["P1", "P2"]]])
