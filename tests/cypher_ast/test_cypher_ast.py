"""The parser module's public API: what a statement touches."""

from __future__ import annotations

import pytest

from graphfraud.cypher_ast import CypherSyntaxError, parse


def test_parse_reports_labels_types_properties_functions_and_columns():
    q = parse("MATCH (t:Trader {kvk: $k})-[:REGISTERED_AT]->(a:Address) "
              "WHERE a.city = 'Breda' RETURN t.name AS name, count(a) AS n, a")
    assert q.labels == {"Trader", "Address"}
    assert q.relationship_types == {"REGISTERED_AT"}
    assert q.properties == {"kvk", "city", "name"}
    assert q.functions == {"count"}
    assert q.return_items == ("name", "n", "a")
    assert {"t", "a"} <= q.variables


def test_parse_sees_inside_map_literals_and_comprehensions():
    q = parse("MATCH (p:Person) RETURN {n: toUpper(p.name), k: [(p)-->(c:Company) | c.kvk]}"
              " AS m")
    assert q.functions == {"toupper"}
    assert {"name", "kvk"} <= q.properties
    assert "Company" in q.labels


def test_parse_refuses_what_is_not_cypher():
    with pytest.raises(CypherSyntaxError, match="not valid Cypher"):
        parse("MATCH (n RETURN n")
