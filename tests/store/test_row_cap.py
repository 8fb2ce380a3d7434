"""The row cap is written into the query as a LIMIT (pure text rewriting)."""

from __future__ import annotations

import pytest

from graphfraud.store.row_cap import cap_rows

CASES: list[tuple[str, str]] = [
    ("UNWIND range(1, 10) AS x RETURN x", "UNWIND range(1, 10) AS x RETURN x\nLIMIT 11\n"),
    ("MATCH (n) RETURN n LIMIT 5", "MATCH (n) RETURN n LIMIT 5"),
    ("MATCH (n) RETURN n LIMIT 5000;", "MATCH (n) RETURN n LIMIT 11;"),
    ("MATCH (n) RETURN n ORDER BY n.x SKIP 3", "MATCH (n) RETURN n ORDER BY n.x SKIP 3\nLIMIT 11\n"),
    ("RETURN 1 AS x // a comment", "RETURN 1 AS x // a comment\nLIMIT 11\n"),
    ("RETURN 1 AS x UNION ALL RETURN 2 AS x",
     "RETURN 1 AS x \nLIMIT 11\nUNION ALL RETURN 2 AS x\nLIMIT 11\n"),
    ("MATCH (n) WHERE EXISTS { MATCH (n)--() RETURN 1 } RETURN n.limit",
     "MATCH (n) WHERE EXISTS { MATCH (n)--() RETURN 1 } RETURN n.limit\nLIMIT 11\n"),
    ("CALL { MATCH (n) RETURN n LIMIT 99 } RETURN n", "CALL { MATCH (n) RETURN n LIMIT 99 } RETURN n\nLIMIT 11\n"),
    ("RETURN 'RETURN x LIMIT 99' AS s", "RETURN 'RETURN x LIMIT 99' AS s\nLIMIT 11\n"),
]
UNCHANGED = [
    "CALL db.labels()",  # no RETURN: the client-side cap applies
    "MATCH (n) RETURN n LIMIT $k",  # a computed LIMIT
    "RETURN 1 AS x UNION RETURN 2 AS x LIMIT $k",
    "RETURN 'unterminated",
    "MATCH (n) RETURN n /* open comment",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_cap_goes_into_the_query(text, expected):
    assert cap_rows(text, 10) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_what_cannot_be_capped_safely_is_left_alone(text):
    assert cap_rows(text, 10) == text


def test_no_cap_no_change():
    assert cap_rows("RETURN 1", None) == "RETURN 1"
