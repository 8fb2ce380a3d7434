"""Pure parts of the explorer: the offline network page, exports, the guard's quotas and
that the key-lookup query covers every label of the model."""

from __future__ import annotations

import json
import re

from graphfraud.explore import Subgraph, edges_csv, graph_json, network_html, nodes_csv
from graphfraud.explore.neighbourhood import _quotas
from graphfraud.model.schema import NODE_TYPES
from graphfraud.store.library import get_query


def _sg() -> Subgraph:
    sg = Subgraph(aggregated={"Phone": 5000})
    sg.add_node({"_id": "1", "_labels": ["Trader"], "trader_id": "KVK:1", "name": "A B.V.",
                 "sources": ["x"]})
    sg.add_node({"_id": "2", "_labels": ["Address"], "address_key": "1234AB|1"})
    sg.add_node({"_id": "3", "_labels": ["Person"], "person_id": "P-1",
                 "full_name": "</script><script>alert(1)</script>"})
    sg.add_edge({"_id": "e1", "_type": "REGISTERED_AT", "_start": "1", "_end": "2"})
    sg.add_edge({"_id": "e2", "_type": "HAS_ROLE", "_start": "3", "_end": "1"})
    sg.add_edge({"_id": "e3", "_type": "HAS_PHONE", "_start": "1", "_end": "99"})  # not drawn
    return sg


def test_network_page_loads_nothing_from_outside() -> None:
    page = network_html(_sg(), risk={"1": 0.9})
    srcs = re.findall(r"<(?:script|link|img|iframe)[^>]*(?:src|href)\s*=\s*[\"']?([^\"' >]+)",
                      page, flags=re.I)
    assert not [s for s in srcs if s.lower().startswith(("http:", "https:", "//"))]
    assert "@import" not in page
    assert "vis.Network" in page  # the library is inlined
    assert "stabilizationIterationsDone" in page and "physics: false" in page
    assert "+5,000 Phone" in page or "+4,999 Phone" in page  # the aggregate box
    assert "<script>alert(1)" not in page  # data cannot end the script


def test_exports() -> None:
    sg = _sg()
    nodes = nodes_csv(sg).splitlines()
    assert nodes[0].startswith("_id,_label,_key,_caption") and len(nodes) == 4
    edges = edges_csv(sg).splitlines()
    assert len(edges) == 3  # the edge to a node outside the view is left out
    data = json.loads(graph_json(sg))
    assert len(data["nodes"]) == 3 and data["aggregated"] == {"Phone": 5000}
    assert Subgraph.from_dict(data).nodes.keys() == sg.nodes.keys()


def test_quotas_fill_the_budget_in_proportion() -> None:
    q = _quotas({"Phone": 4998, "Address": 1, "Person": 1}, 299)
    assert sum(q.values()) == 299 and q["Address"] == 1 and q["Person"] == 1
    assert _quotas({"A": 3, "B": 2}, 10) == {"A": 3, "B": 2}
    assert sum(_quotas({"A": 5, "B": 5, "C": 5}, 2).values()) == 2


def test_key_lookup_covers_every_label() -> None:
    text = get_query("explorer_nodes_by_keys").text_for("neo4j")
    for nt in NODE_TYPES:
        assert (f"UNWIND coalesce($keys.{nt.label}, []) AS k WITH DISTINCT k\n"
                f"MATCH (n:{nt.label} {{{nt.key}: k}}) RETURN n") in text
