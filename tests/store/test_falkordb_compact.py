"""The fast compact-format decoder gives what the falkordb client's own parser gives."""

import pytest
from falkordb.query_result import QueryResult as ClientResult
from redis.exceptions import ResponseError

from graphfraud.store.falkordb_compact import decode_cell, decode_result
from graphfraud.store.values import from_falkordb


def test_each_scalar_kind_is_decoded():
    assert decode_cell([1, None]) is None
    assert decode_cell([2, "Venlo"]) == "Venlo"
    assert decode_cell([3, 42]) == 42
    assert decode_cell([4, "true"]) is True and decode_cell([4, "false"]) is False
    assert decode_cell([5, "51.37"]) == pytest.approx(51.37)
    assert decode_cell([6, [[3, 1], [2, "x"], [1, None]]]) == [1, "x", None]
    assert decode_cell([10, ["a", [3, 1], "b", [6, [[2, "y"]]]]]) == {"a": 1, "b": ["y"]}


def test_server_errors_are_raised():
    with pytest.raises(ResponseError, match="boom"):
        decode_result([[], [], ResponseError("boom")])


def test_entities_are_left_to_the_client():
    assert decode_result([[[1, "n"]], [[[8, [0, [0], []]]]], ["stats"]]) is None


@pytest.fixture
def embedded_store(embedded_settings):
    """The compact format is the embedded engine's own: this runs there only."""
    from graphfraud.store import open_store

    st = open_store(embedded_settings, "embedded")
    st.clear()
    st.apply_schema()
    yield st
    st.close()


QUERY = ("UNWIND range(1, 50) AS i RETURN i, toString(i) AS s, i * 0.5 AS f, i % 2 = 0 AS b, "
         "[i, 'x', null] AS l, {k: i, m: [1.5]} AS m, null AS z ORDER BY i")


@pytest.mark.parametrize("query", [QUERY, "MATCH (t:Trader) RETURN t.name AS name, t ORDER BY name"])
def test_fast_path_equals_the_client_parser(embedded_store, query):
    store = embedded_store
    store.upsert("upsert_trader", [{"key": "KVK:1", "props": {"name": "A B.V."}},
                                   {"key": "KVK:2", "props": {"name": "B B.V."}}],
                 extra={"source": "t", "delivery": "d", "legal_basis": "register"})
    fast = store.read_cypher(query)
    response = store._db.connection.execute_command("GRAPH.RO_QUERY", store.graph_name,
                                                    query, "--compact")
    client = ClientResult(store._graph, response)
    columns = [h[1] for h in client.header]
    expected = [{c: from_falkordb(v) for c, v in zip(columns, row, strict=True)}
                for row in client.result_set]
    assert fast.columns == columns
    assert fast.rows == expected and len(expected) >= 2
