"""The embedded engine's free-Cypher rewriter and refuser, without a server: what it
sends and what it refuses (the TCK run in tests/tck checks the answers)."""

from __future__ import annotations

import pytest

from graphfraud.store.falkordb_dialect import DialectRefused, check_rows, prepare
from graphfraud.store.values import EngineTemporal


def test_anonymous_relationships_of_one_match_are_named_and_kept_distinct():
    out = prepare("MATCH (t1:Trader)-[:REGISTERED_AT]->(:Address)<-[:REGISTERED_AT]-(t2:Trader)"
                  " RETURN count(*) AS n").text
    assert out == ("MATCH __gf_path1 = (t1:Trader)-[__gf_rel2:REGISTERED_AT]->(:Address)"
                   "<-[__gf_rel3:REGISTERED_AT]-(t2:Trader)  WHERE __gf_rel2 <> __gf_rel3"
                   " RETURN count(*) AS n")


def test_bare_arrows_get_brackets_and_an_existing_where_is_wrapped():
    out = prepare("MATCH (a)-->(b)<--(c) WHERE a.x = 1 OR c.x = 2 RETURN a").text
    assert out == ("MATCH __gf_path1 = (a)-[__gf_rel2]->(b)<-[__gf_rel3]-(c) "
                   "WHERE (a.x = 1 OR c.x = 2  ) AND __gf_rel2 <> __gf_rel3 RETURN a")


def test_every_unnamed_path_with_relationships_is_named():
    """Without a path variable the engine joins each pair of nodes once: two parallel
    relationships gave one row for MATCH (a)-->(b) where Neo4j gives two."""
    out = prepare("MATCH (a:M), (a)-[:S]->(b:N), p = (b)-[:T*1..2]->(c) RETURN a, b").text
    assert out == ("MATCH (a:M), __gf_path1 = (a)-[:S]->(b:N), p = (b)-[:T*1..2]->(c) "
                   "RETURN a, b")
    with pytest.raises(DialectRefused, match="RETURN \\*"):
        prepare("MATCH (a)-->(b) RETURN *")
    assert prepare("MATCH (a)-->(b) WITH a RETURN *").text.startswith("MATCH __gf_path1")


def test_relationships_whose_types_cannot_overlap_get_no_predicate():
    text = "MATCH p = (x:Person)-[:DIRECTOR_OF]->(c)-[:REGISTERED_AT]->(a) RETURN x, a"
    assert prepare(text).text == text


def test_pairs_across_comma_separated_paths_are_covered():
    out = prepare("MATCH (a)-[r:T]->(b), (c)-[s:T|U]->(d) RETURN a").text
    assert "WHERE r <> s" in out


def test_integer_sums_stay_integers_and_keep_their_column_name():
    out = prepare("MATCH (n) RETURN n.name, sum(n.num)").text
    assert "toInteger(sum(n.num))" in out
    assert out.endswith("AS `sum(n.num)`")
    aliased = prepare("MATCH (n) RETURN sum(n.num) AS s").text
    assert aliased.endswith("END AS s")


@pytest.mark.parametrize("text, construct", [
    ("MATCH ()-[r]->() WITH r MATCH ()-[r]->()-[r]->() RETURN r", "bound before and matched"),
    ("MATCH (a)-[r*1..2]->(b) RETURN r", "variable-length relationship variable"),
    ("MATCH (a)-[*1..2]-(b) RETURN b", "undirected variable-length"),
    ("MATCH (a)-[:T*1..2]->(b)-[:T]->(c) RETURN c", "variable-length relationship and another"),
    ("MATCH (n) RETURN [(n)-->(b) | b.name] AS l", "projection can be null"),
    ("MATCH (n)-->(m) WHERE n.a < m.a = n.b RETURN m", "chained comparison"),
    ("RETURN date('1955-06-01') < date('2024-01-01') AS x", "temporal function date()"),
    ("WITH 1 AS n MATCH (n) RETURN n", "bound as a value and used as a node"),
    ("MATCH (p)-->() MATCH p = ()-->() RETURN p", "path variable p is already bound"),
    ("MATCH (n RETURN n", "not valid Cypher"),
    ("MATCH p = (a)-[:T*1..2]->(b) RETURN relationships(p) AS rs", "out of order"),
    ("MATCH (me)--(you) RETURN me.age + you.age, me.age + you.age + count(*)", "grouping key"),
])
def test_each_class_measured_wrong_is_refused_with_the_construct_named(text, construct):
    with pytest.raises(DialectRefused, match=construct) as info:
        prepare(text)
    assert "Neo4j" in str(info.value) and ";" in str(info.value)  # names an alternative


def test_plain_reads_pass_unchanged():
    for text in ("MATCH (t:Trader) RETURN t.name AS name LIMIT 25",
                 "MATCH (n) WHERE 1 < n.num < 3 RETURN n.num",
                 "MATCH p = (a)-[r:T]->(b) RETURN r, [(a)-->(x) | x] AS xs"):
        assert prepare(text).text == text


def test_results_with_engine_temporals_or_sorted_nan_are_refused():
    with pytest.raises(DialectRefused, match="date or time"):
        check_rows([{"d": EngineTemporal("2024-01-01")}])
    check_rows([{"d": "2024-01-01"}])  # ISO text as GraphFraud stores it is fine
    with pytest.raises(DialectRefused, match="NaN"):
        check_rows([{"x": [float("nan")]}], prepare("UNWIND [1] AS x RETURN x ORDER BY x"))


def test_a_returned_path_with_relationships_out_of_order_is_refused():
    """Measured: (m)-[:C]->(n)-[:D]->(m) matched by (m)-[*2]->() came back as [D, C]."""
    node = lambda i: {"_id": str(i), "_labels": ["X"]}  # noqa: E731
    rel = lambda t, a, b: {"_id": t, "_type": t, "_start": str(a), "_end": str(b)}  # noqa: E731
    good = {"_path": True, "nodes": [node(1), node(2), node(1)],
            "relationships": [rel("C", 1, 2), rel("D", 2, 1)]}
    check_rows([{"p": good}])
    swapped = {**good, "relationships": [rel("D", 2, 1), rel("C", 1, 2)]}
    with pytest.raises(DialectRefused, match="out of order"):
        check_rows([{"p": [swapped]}])
    elsewhere = {"_path": True, "nodes": [node(1), node(2), node(3)],
                 "relationships": [rel("C", 1, 2), rel("E", 1, 3)]}
    with pytest.raises(DialectRefused, match="out of order"):
        check_rows([{"m": {"p": elsewhere}}])


def test_a_relationship_bound_before_is_matched_as_a_new_variable_equal_to_it():
    out = prepare("MATCH ()-[r1]->(:X) WITH r1 AS r2 MATCH ()-[r2]->() RETURN r2 AS rel").text
    assert out == ("MATCH __gf_path1 = ()-[r1]->(:X) WITH r1 AS r2 "
                   "MATCH __gf_path2 = ()-[__gf_rel3]->()  WHERE __gf_rel3 = r2 RETURN r2 AS rel")
