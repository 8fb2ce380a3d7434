"""The e-ADs made Arrow columns a part at a time (issue 20, xlarge): the table is the one
the whole read's Python columns gave (`frames.to_frame`), kind and value, in any split."""

from __future__ import annotations

import pyarrow as pa
import pytest

from graphfraud.detect.frames import (
    canonical_array,
    canonical_parts,
    frames_hash,
    part_array,
    parts_to_frame,
    to_frame,
)
from graphfraud.ingest.run import ingest_directory

COLUMNS = [
    ["a", None, "b"], [1, None, 3], [True, False, None], [None, None],
    [1.0, 2.0, None], [1.0, 2.5], [1, 2.5, None], [float("inf"), 1.0], [1e20, 2.0],
    [["b", "a"], [], ["c"]], [[3, 1], [2]], [[1.0, 3.0], [2.0]], [[1.5, 0.5]],
    [["b", None], ["a"]], [{"x": 1.0}, None], ["a", 1], [[1, "a"]], [],
    [[], [], ["b", "a"]], [None, None, "x"], [1, 2, 3.5], [2 ** 60, 0.5], [True, 1],
    [3, 4, "a"], [None, 1.0, 2.0], [[], None, [2, 1]],
]


def _splits(values):
    """Every way to cut `values` into two parts, and into one part a value."""
    yield [values]
    for i in range(len(values) + 1):
        yield [values[:i], values[i:]]
    yield [[v] for v in values]


@pytest.mark.parametrize("values", COLUMNS)
def test_a_column_made_a_part_at_a_time_equals_the_whole_columns(values):
    want = canonical_array(values)
    for parts in _splits(values):
        got = canonical_parts([part_array(p) for p in parts])
        assert got.type == want.type and got.equals(want), parts


def test_the_parts_table_sorted_by_arc_is_the_whole_reads_table():
    names = ["quantity", "arc", "plates"]
    parts = [[[2.0, 1.0], ["A3", None], [["P2", "P1"], []]],
             [[0.5], ["A1"], [[]]],
             [[4.0, 3.0], ["A2", "A3"], [["P3"], None]]]
    whole = [sum((p[j] for p in parts), []) for j in range(3)]
    order = sorted(range(len(whole[1])), key=lambda i: (whole[1][i] is None,
                                                        whole[1][i] or ""))
    want = to_frame(names, [[col[i] for i in order] for col in whole])
    made = [[part_array(c) for c in p] for p in parts]
    got = parts_to_frame(names, made, sort_by="arc")
    assert got.schema == want.schema and got.equals(want)
    assert got.column("arc").to_pylist() == ["A1", "A2", "A3", "A3", None]
    assert got.column("quantity").to_pylist() == [0.5, 4.0, 2.0, 3.0, 1.0]  # stable
    assert all(c is None for p in made for c in p), "the parts are let go"
    assert frames_hash({"q": got}, ["q"]) == frames_hash({"q": want}, ["q"])


def _reference_movements(store):
    """The e-ADs' table as `load_inputs` made it before: the whole read's Python
    columns, plates and lines joined, sorted by ARC, then `to_frame`."""
    from graphfraud.detect.frames import join_lines, lines_by_arc, with_plates
    from graphfraud.detect.runner import READ_TYPES, _by_arc

    whole = {"chars": [], "last": True}

    def read(name):
        return store.read_columns(name, whole, READ_TYPES.get(name))

    return to_frame(*_by_arc(join_lines(
        with_plates(read("signal_movements_part"), read("signal_movement_plates_part")),
        lines_by_arc(read("signal_movement_lines_part")))))


@pytest.fixture(scope="module")
def small_world_dir(tmp_path_factory):
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("parts") / "small"
    generate_world("small", 3, out)
    return out


def test_movements_in_eleven_parts_equal_the_whole_python_read(store, small_world_dir,
                                                                monkeypatch):
    from graphfraud.detect import runner

    ingest_directory(store, small_world_dir, "small", restart=True)
    want = _reference_movements(store)
    for rows in (runner.PART_ROWS, 1):  # one part; ten parts and the rest
        monkeypatch.setattr(runner, "PART_ROWS", rows)
        inputs, _ = runner.load_inputs(store)
        got = inputs.frame("signal_movements")
        assert got.num_rows > 1000
        assert got.schema == want.schema and got.equals(want), rows


def test_an_empty_graph_gives_the_whole_reads_empty_table(store):
    from graphfraud.detect import runner

    inputs, _ = runner.load_inputs(store)
    want = _reference_movements(store)
    got = inputs.frame("signal_movements")
    assert got.num_rows == 0 and got.schema == want.schema
    assert inputs.movement_frame.height == 0


def test_a_table_given_for_an_input_with_rows_is_refused():
    from graphfraud.detect.inputs import DetectionInputs

    with pytest.raises(ValueError, match="row dicts"):
        DetectionInputs.from_columns({}, {"signal_traders": pa.table({"a": [1]})})
