"""One icon per type: every label of the model has a vis-network shape, drawn on its nodes
and in the legend; "box" stays the aggregate boxes' own; the path is drawn in place."""

from __future__ import annotations

from graphfraud.explore.graph import Subgraph
from graphfraud.explore.network import (
    LABEL_COLOURS,
    LABEL_SHAPES,
    PATH_COLOUR,
    NetworkStyle,
    legend_html,
    vis_data,
)
from graphfraud.model.schema import NODE_TYPES

SHAPES = {"dot", "square", "diamond", "triangle", "triangleDown", "hexagon", "star"}


def test_every_label_has_a_shape_and_none_is_the_aggregate_box() -> None:
    for nt in NODE_TYPES:
        assert LABEL_SHAPES[nt.label] in SHAPES, nt.label
    assert "box" not in LABEL_SHAPES.values()
    assert LABEL_SHAPES["Trader"] != LABEL_SHAPES["Person"] != LABEL_SHAPES["Address"]


def _sg() -> Subgraph:
    sg = Subgraph()
    sg.add_node({"_id": "1", "_labels": ["Trader"], "trader_id": "KVK:1", "name": "A B.V."})
    sg.add_node({"_id": "2", "_labels": ["Seizure"], "seizure_id": "SZ-1"})
    sg.add_node({"_id": "3", "_labels": ["Address"], "address_key": "1000AA|1"})
    sg.add_edge({"_id": "e1", "_type": "INVOLVES", "_start": "2", "_end": "1"})
    sg.add_edge({"_id": "e2", "_type": "REGISTERED_AT", "_start": "1", "_end": "3"})
    return sg


def test_nodes_and_legend_carry_the_shape() -> None:
    nodes, _ = vis_data(_sg())
    by_type = {n["gfType"]: n for n in nodes}
    assert by_type["Seizure"]["shape"] == "star" and by_type["Trader"]["shape"] == "dot"
    legend = legend_html(_sg())
    colour = LABEL_COLOURS["Seizure"]
    assert f'data-key="Seizure" data-colour="{colour}" data-shape="star"' in legend
    assert legend.count("<svg") == 3


def test_path_is_drawn_in_place() -> None:
    style = NetworkStyle(path_nodes=frozenset({"1", "2"}), path_edges=frozenset({"e1"}))
    nodes, edges = vis_data(_sg(), style=style)
    on = {e["id"]: e for e in edges}
    assert on["e1"]["color"]["color"] == PATH_COLOUR and on["e1"]["width"] == 4
    assert "width" not in on["e2"] and not on["e2"].get("gfPath")
    assert [n["id"] for n in nodes if n["gfPath"]] == ["1", "2"]
