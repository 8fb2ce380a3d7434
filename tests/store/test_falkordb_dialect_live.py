"""The embedded store's rewrites against the truth computed in Python, on a random
multigraph with parallel relationships and self-loops (what the TCK barely exercises)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

EDGES = 1500
SETUP = ("UNWIND range(0, 299) AS i CREATE (:P {pid: i})")
LINK = ("UNWIND $rows AS r MATCH (a:P {pid: r[0]}), (b:P {pid: r[1]}) "
        "CREATE (a)-[:R]->(b)")
LINK_S = ("UNWIND $rows AS r MATCH (a:P {pid: r[0]}), (b:P {pid: r[1]}) "
          "CREATE (a)-[:S]->(b)")


@pytest.fixture(scope="module")
def multigraph(embedded_settings):
    from graphfraud.store import open_store

    rng = random.Random(14)
    edges = [(rng.randrange(300), rng.randrange(300), rng.choice("RS")) for _ in range(EDGES)]
    edges += [(a, b, t) for a, b, t in edges[:200]]  # parallel copies
    st = open_store(replace(embedded_settings, graph_name="multigraph"), "embedded")
    st.clear()
    st._write(SETUP, {}, None)
    st._write(LINK, {"rows": [[a, b] for a, b, t in edges if t == "R"]}, None)
    st._write(LINK_S, {"rows": [[a, b] for a, b, t in edges if t == "S"]}, None)
    yield st, edges
    st.clear()
    st.close()


def _two_step(edges, first, second, into=False) -> int:
    """Rows of (a)-[first]->(m)-[second]->(c), or (a)-[first]->(m)<-[second]-(c) with
    `into`, two distinct relationships (Neo4j's uniqueness)."""
    n = 0
    for i, (_a, m, t1) in enumerate(edges):
        if t1 not in first:
            continue
        for j, (x, y, t2) in enumerate(edges):
            if i != j and t2 in second and (y == m if into else x == m):
                n += 1
    return n


@pytest.mark.parametrize("text, truth", [
    ("MATCH (a)-[:R]->(b) RETURN count(*) AS n",
     lambda e: sum(1 for x in e if x[2] == "R")),
    ("MATCH (a)-->(m)-->(c) RETURN count(*) AS n", lambda e: _two_step(e, "RS", "RS")),
    ("MATCH (a)-[:R]->(m)<-[:R]-(c) RETURN count(*) AS n",
     lambda e: _two_step(e, "R", "R", into=True)),
    ("MATCH (a)-[:R]->(m)-[:S]->(c) RETURN count(*) AS n", lambda e: _two_step(e, "R", "S")),
])
def test_rewritten_counts_equal_neo4j_semantics(multigraph, text, truth):
    store, edges = multigraph
    assert store.read_free_cypher(text).rows[0]["n"] == truth(edges)


def test_the_engine_alone_joins_each_pair_of_nodes_once(multigraph):
    """Why every path is named: without it parallel relationships count once."""
    store, edges = multigraph
    raw = store.read_cypher("MATCH (a)-[:R]->(b) RETURN count(*) AS n").rows[0]["n"]
    assert raw == len({(a, b) for a, b, t in edges if t == "R"})
    assert raw < sum(1 for x in edges if x[2] == "R")
