"""`read_columns`: a read query's result as columns, the same values as its rows."""

from __future__ import annotations

import pytest

from graphfraud.store.base import ReadOnlyViolation
from graphfraud.store.falkordb_compact import decode_column, decode_columns


def test_compact_columns_decode_like_cells():
    cells = [[2, "a"], [1, None], [3, 7]]
    assert decode_column(cells) == ["a", None, 7]
    assert decode_column([[5, "1.5"], [1, None]]) == [1.5, None]
    assert decode_column([[6, [[2, "x"], [2, "y"]]], [4, "true"]]) == [["x", "y"], True]
    header = [[1, "name"], [1, "n"]]
    got = decode_columns([header, [[[2, "a"], [3, 1]], [[2, "b"], [5, "2.0"]]], ["stats"]])
    assert got == (["name", "n"], [["a", "b"], [1, 2.0]])
    assert decode_columns([header, [], ["stats"]]) == (["name", "n"], [[], []])


@pytest.fixture
def tiny(store, tmp_path_factory):
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("columns") / "tiny"
    generate_world("tiny", 5, out)
    ingest_directory(store, out, "tiny", restart=True)
    return store


@pytest.mark.parametrize("name", ["signal_movements", "signal_traders", "signal_check_lines",
                                  "eps_counts"])
def test_columns_hold_the_rows_values(tiny, name):
    rows = list(tiny.stream(name))
    names, values = tiny.read_columns(name)
    assert rows, f"the tiny world gives {name} rows"
    assert names == list(rows[0])
    assert [dict(zip(names, r, strict=True)) for r in zip(*values, strict=True)] == rows


def test_columns_of_an_empty_result_name_the_columns(store):
    names, values = store.read_columns("signal_tips")
    assert "tip_id" in names and values == [[] for _ in names]


def test_columns_are_a_read(store):
    with pytest.raises(ReadOnlyViolation):
        store.read_columns("findings_clear")


def test_plain_replies_decode_by_the_kinds_given():
    from graphfraud.store.falkordb_compact import decode_typed

    header = [[1, "s"], [1, "i"], [1, "f"], [1, "b"]]
    rows = [["a", 3, "1.5", "true"], [None, None, None, "false"], ["2.0", 4, 7, None],
            ["x", 5, "not a number", None]]
    types = {"s": "string", "i": "int", "f": "float", "b": "bool"}
    got = decode_typed([header, rows, ["stats"]], types)
    assert got == (["s", "i", "f", "b"], [["a", None, "2.0", "x"], [3, None, 4, 5],
                                         [1.5, None, 7, "not a number"],
                                         [True, False, None, None]])
    assert decode_typed([header, rows, ["stats"]], {**types, "b": "list"}) is None
    assert decode_typed([header, [], ["stats"]], types) == (["s", "i", "f", "b"],
                                                            [[], [], [], []])


@pytest.mark.parametrize("name", ["signal_movements_part", "signal_movement_plates_part",
                                  "signal_movement_lines_part", "signal_traders",
                                  "signal_premises", "signal_tips", "signal_roles"])
def test_columns_read_with_their_kinds_equal_the_columns_read_without(tiny, name):
    """The detection reads give their columns' kinds (the embedded store then reads its
    plain reply): the same values, of the same types, as without."""
    from graphfraud.detect.runner import READ_TYPES

    params = {"chars": [], "last": True} if name.endswith("_part") else {}
    plain = tiny.read_columns(name, params)
    typed = tiny.read_columns(name, params, READ_TYPES[name])
    assert plain[1] and plain[1][0], f"the tiny world gives {name} rows"
    assert set(READ_TYPES[name]) == set(plain[0])
    assert typed == plain
    assert [[type(v) for v in col] for col in typed[1]] == \
        [[type(v) for v in col] for col in plain[1]]
