"""Engine errors in plain words with their position, the same on both stores: a
misspelt keyword, an unknown function, an unbound variable, an open string, a division
by zero, each run through an analyst's Session on the real engine."""

from __future__ import annotations

from typing import Any

import pytest

from graphfraud.security import QueryRefused, User
from graphfraud.security.engine_errors import plain_error
from graphfraud.security.session import Session
from graphfraud.store import StoreError

CASES = [
    ("MATCH (n:Trader) RETRUN n", "Syntax error", (1, 18)),
    ("MATCH (n) RETURN nosuchfn(n)", None, (1, 18)),
    ("MATCH (n) RETURN m", None, (1, 18)),
    ("MATCH (n:Trader)\nWHERE n.name = 'x\nRETURN n", "Syntax error", (2, 16)),
    ("RETURN 1/0", "Calculation error", (1, 9)),
]


@pytest.mark.parametrize("text, kind, where", CASES)
def test_engine_errors_are_plain_with_their_position(store: Any, settings: Any, text: str,
                                                     kind: str | None,
                                                     where: tuple[int, int]) -> None:
    sess = Session(store, settings, User("ana", "analyst"))
    with pytest.raises((StoreError, QueryRefused)) as info:
        sess.free_cypher(text)
    raw = info.value.reason if isinstance(info.value, QueryRefused) else str(info.value)
    err = plain_error(raw, text)
    assert (err.line, err.column) == where, (store.kind, raw, err)
    if kind:
        assert err.kind == kind
    shown = err.text()
    assert f"line {where[0]}, column {where[1]}" in shown
    assert "neo4j_code" not in shown and "gql_status" not in shown and "{" not in shown
    assert "ResponseError" not in shown and "[CG" not in shown
    assert len(shown) < 300


def test_a_message_without_a_place_says_so_plainly() -> None:
    err = plain_error("embedded refused the query: ResponseError: something odd", "RETURN 1")
    assert err.line is None and err.text() == "Error in the query: something odd"
