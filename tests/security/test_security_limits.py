"""Pre-parse limits: each shape that took an engine down is refused with a reason before
any engine sees it; the ordinary forms of the same functions pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.security.guard import check_read_only, tokenize
from graphfraud.security.limits import QueryLimits, limit_reason

# (query, a fragment of the reason)
OVER_LIMIT: list[tuple[str, str]] = [
    # the issue's own queries
    ("RETURN size(apoc.text.lpad('', 1500000000, 'x'))", "apoc.text.lpad"),
    ("RETURN size(apoc.coll.fill('x', 400000000))", "apoc.coll.fill"),
    ("RETURN size(reduce(s = 'x', i IN range(1, 30) | s + s))", "accumulator 's' twice"),
    ("UNWIND range(1, 10000000) AS x RETURN x", "10,000,000 numbers"),
    ("RETURN " + "(" * 22 + "1" + ")" * 22, "nests 13 levels"),
    # padded, filled, doubled: other spellings of the same families
    ("RETURN apoc.text.rpad('x', 99999999, ' ')", "apoc.text.rpad"),
    ("RETURN APOC.TEXT.LPAD('x', $n, ' ')", "give that size as a number"),
    ("RETURN apoc.text.lpad('x', 10 * 1000000, ' ')", "give that size as a number"),
    ("RETURN apoc.text.repeat('ab', 500000000)", "apoc.text.repeat"),
    ("RETURN apoc.text.random(2000000000, 'A-Z')", "apoc.text.random"),
    ("RETURN apoc.coll.fill([1, 2], toInteger('400000000'))", "give that size"),
    ("RETURN apoc.coll.combinations(range(1, 60), 1, 30)", "apoc.coll.combinations"),
    ("RETURN `apoc`.`text`.lpad('', 1500000000, 'x')", "apoc.text.lpad"),
    ("RETURN apoc.text.lpad('', 1500000000 /* pad */, 'x')", "apoc.text.lpad"),
    ("RETURN reduce(l = [1], i IN range(1, 40) | l + l)", "accumulator 'l' twice"),
    ("RETURN reduce(s = 'x', i IN range(1, 30) | s + 'y' + s)", "twice"),
    ("RETURN reduce(s = 'x', i IN range(1, 30) | s + toUpper(s))", "twice"),
    ("RETURN REDUCE(acc = 2, i IN range(1, 60) | acc * acc)", "twice"),
    # nested: brackets of every kind, unary operators, mixed
    ("RETURN " + "[" * 13 + "1" + "]" * 13, "nests 13 levels"),
    ("RETURN " + "{a: " * 13 + "1" + "}" * 13, "nests 13 levels"),
    ("RETURN " + "- " * 14 + "1", "nests 13 levels"),
    ("RETURN " + "NOT " * 14 + "true", "nests 13 levels"),
    ("RETURN " + "size(" * 13 + "'x'" + ")" * 13, "nests 13 levels"),
    ("RETURN " + "(NOT " * 7 + "true" + ")" * 7, "nests 13 levels"),
    ("MATCH (n) WHERE " + "1+(" * 13 + "1" + ")" * 13 + " > 0 RETURN n", "nests 13 levels"),
    # huge ranges, literal and computed
    ("RETURN size(range(1, 1000000000))", "numbers"),
    ("RETURN size(range(-2000000, 2000000, 2))", "2,000,001 numbers"),
    ("RETURN range(1, toInteger(1e9))", "bound over"),
    ("RETURN range(1, toInteger(1.5E7))", "bound over"),
    ("RETURN range(1, 0x7fffffff)", "bound over"),
    ("RETURN range(1, 10 ^ 9)", "'^'"),
    ("RETURN range(1, 100000 * 100000)", "'*'"),
    ("UNWIND range(1, 1000) AS a UNWIND RANGE(1, 1000000000) AS b RETURN count(*)", "numbers"),
    # length
    ("RETURN '" + "x" * 20_100 + "'", "characters"),
]

ALLOWED: list[str] = [
    "RETURN apoc.text.lpad('7', 8, '0')",
    "RETURN apoc.coll.fill('x', 10)",
    "RETURN reduce(s = 0, x IN [1, 2, 3] | s + x)",
    "RETURN reduce(m = 0, x IN [3, 1] | CASE WHEN x > m THEN x ELSE m END)",
    "RETURN reduce(s = '', w IN ['a', 'b'] | s + w + ',')",
    "MATCH (t:Trader) WHERE NOT t.a AND NOT t.b AND NOT t.c AND NOT t.d AND NOT t.e "
    "AND NOT t.f AND NOT t.g AND NOT t.h AND NOT t.i AND NOT t.j AND NOT t.k AND NOT t.l "
    "AND NOT t.m RETURN t.trader_id",
    "UNWIND range(0, size([1, 2, 3]) - 1) AS i RETURN i",
    "UNWIND range(1, 1000000) AS x RETURN count(x)",
    "RETURN 1 - 2 - 3 - -4 - 5 - 6 - 7 - 8 - 9 - 10 - 11 - 12 - 13 - 14",
    "MATCH (a), (b) RETURN a.name, b.name",
    "RETURN '((((((((((((((((((((((((((('",  # brackets in a string do not nest
    "RETURN 1 // (((((((((((((((((((((((((((((((",
    "MATCH (m:Movement) WHERE m.range > 100000000 RETURN m.range",  # a property, not a call
]


@pytest.mark.parametrize(("query", "fragment"), OVER_LIMIT)
def test_over_limit_is_refused_with_a_reason(query, fragment):
    verdict = check_read_only(query)
    assert not verdict.allowed, query
    assert fragment.lower() in verdict.reason.lower(), verdict.reason


@pytest.mark.parametrize("query", ALLOWED)
def test_ordinary_uses_pass(query):
    verdict = check_read_only(query)
    assert verdict.allowed, verdict.reason


def test_every_library_read_query_is_within_the_limits():
    """An analyst may paste any saved query into the console."""
    from graphfraud.store.library import default_library

    too_deep = []
    for name, q in default_library().items():
        if q.mode != "read":
            continue
        for dialect in ("neo4j", "falkordb"):
            text = q.text_for(dialect)
            reason = limit_reason(text, tokenize(text))
            if reason:
                too_deep.append((name, dialect, reason))
    assert not too_deep


def test_limits_are_configurable():
    text = "RETURN " + "(" * 5 + "1" + ")" * 5
    assert limit_reason(text, tokenize(text)) is None
    reason = limit_reason(text, tokenize(text), QueryLimits(max_nesting=4))
    assert reason and "at most 4" in reason


def test_the_refusal_names_line_and_column():
    text = "MATCH (t:Trader)\nRETURN apoc.text.lpad(t.name, 99999999, ' ')"
    reason = check_read_only(text).reason
    assert "line 2, column 8" in reason


def test_refused_in_a_session_before_the_store_is_asked(tmp_path: Path):
    from graphfraud.config import load_settings
    from graphfraud.security.guard import QueryRefused
    from graphfraud.security.roles import Role
    from graphfraud.security.session import Session
    from graphfraud.security.users import User

    class NoStore:
        dialect = "neo4j"

        def read_cypher(self, *a, **k):  # pragma: no cover - must not be reached
            raise AssertionError("the engine saw a refused query")

    settings = load_settings({"GRAPHFRAUD_HOME": str(tmp_path)})
    session = Session(NoStore(), settings, User("ana", Role.ANALYST))  # type: ignore[arg-type]
    with pytest.raises(QueryRefused, match="apoc.coll.fill"):
        session.free_cypher("RETURN size(apoc.coll.fill('x', 400000000))")
