"""The network means what it shows: one fixed colour per type (kept by pyvis, equal to the
legend), colour by risk colours the nodes, aggregate boxes count only what is not drawn,
and node labels are names, never internal ids."""

from __future__ import annotations

from graphfraud.explore import Subgraph
from graphfraud.explore.graph import caption_of
from graphfraud.explore.labels import INTERNAL_ID
from graphfraud.explore.network import (
    AGGREGATE_COLOUR,
    LABEL_COLOURS,
    NetworkStyle,
    hidden_counts,
    legend_items,
    vis_data,
)
from graphfraud.model.schema import NODE_TYPES


def _world() -> Subgraph:
    sg = Subgraph(aggregated={"Phone": 40, "Address": 1, "RetailCheck": 3})
    sg.add_node({"_id": "1", "_labels": ["Trader"], "trader_id": "KVK:12345678",
                 "name": "Tabak Zuid B.V."})
    sg.add_node({"_id": "2", "_labels": ["Address"], "address_key": "6211VR|2",
                 "street": "Markt", "house_number": "2", "postcode": "6211VR",
                 "city": "Maastricht"})
    sg.add_node({"_id": "3", "_labels": ["Person"], "person_id": "P-0002749",
                 "full_name": "Jan de Vries", "birth_date": "1971-04-02"})
    sg.add_node({"_id": "4", "_labels": ["RetailCheck"],
                 "check_id": "retail_checks.csv:RC-2023-00017", "outlet_name": "Shop 7",
                 "checked_on": "2023-05-01"})
    sg.add_node({"_id": "5", "_labels": ["Finding"], "finding_id": "F-dive-0001",
                 "kind": "factory_site", "score": 0.915})
    sg.add_node({"_id": "6", "_labels": ["Premise"], "premise_id": "PR-0001"})
    for i, (a, b) in enumerate([("1", "2"), ("3", "1"), ("4", "1"), ("5", "1"), ("1", "6")]):
        sg.add_edge({"_id": f"e{i}", "_type": "T", "_start": a, "_end": b})
    return sg


def test_every_model_label_has_its_own_fixed_colour() -> None:
    colours = [LABEL_COLOURS[nt.label] for nt in NODE_TYPES]
    assert len(set(colours)) == len(colours)
    assert AGGREGATE_COLOUR not in colours


def test_node_colour_equals_its_legend_colour_and_no_group_drops_it() -> None:
    sg = _world()
    nodes, _ = vis_data(sg, style=NetworkStyle(highlight=frozenset({"1"})))
    legend = dict(legend_items(sg))
    real = [n for n in nodes if n["gfType"] != "aggregate"]
    assert len(real) == 6
    for n in real:
        assert "group" not in n  # pyvis would drop the colour
        assert n["color"]["background"] == legend[n["gfType"]] == LABEL_COLOURS[n["gfType"]]


def test_colour_by_risk_colours_the_nodes() -> None:
    sg = _world()
    risk = {"1": 0.9, "5": 0.915}
    by_type = {n["id"]: n["color"]["background"] for n in vis_data(sg, risk)[0]}
    by_risk = {n["id"]: n["color"]["background"]
               for n in vis_data(sg, risk, NetworkStyle(colour_by="risk"))[0]}
    assert by_risk["1"] != by_type["1"] and by_risk["1"] != by_risk["2"]
    assert by_risk["2"] == by_risk["3"]  # no finding: the same grey
    assert {c for _, c in legend_items(sg, "risk")} >= {by_risk["2"]}


def test_aggregate_boxes_count_only_what_is_not_drawn() -> None:
    sg = _world()
    assert hidden_counts(sg, "1") == {"Phone": 40, "RetailCheck": 2}  # 1 address, 1 check drawn
    nodes, _ = vis_data(sg, style=NetworkStyle(highlight=frozenset({"1"})))
    boxes = {n["label"]: n for n in nodes if n["gfType"] == "aggregate"}
    assert set(boxes) == {"+40 Phone", "+2 RetailCheck"}
    for b in boxes.values():
        assert b["shape"] == "box" and b["color"]["background"] == AGGREGATE_COLOUR


def test_labels_are_names_not_ids() -> None:
    sg = _world()
    labels = {nid: caption_of(n, 60) for nid, n in sg.nodes.items()}
    assert labels["1"] == "Tabak Zuid B.V."
    assert labels["2"] == "Markt 2, 6211VR Maastricht"
    assert labels["3"] == "Jan de Vries (1971)"
    assert labels["4"] == "check RC-2023-00017 at Shop 7 2023-05-01"
    assert labels["5"] == "factory site (score 0.92)"
    assert not [t for t in labels.values() if INTERNAL_ID.search(t)]
    for nid, node in sg.nodes.items():
        assert labels[nid] not in {v for k, v in node.items() if k.endswith(("_id", "_key"))}


def test_a_redacted_person_keeps_its_pseudonym() -> None:
    node = {"_id": "9", "_labels": ["Person"], "person_id": "P-1", "pseudonym": "person #3"}
    assert caption_of(node) == "person #3"
    assert INTERNAL_ID.search("6211VR|2") and INTERNAL_ID.search("retail_checks.csv:RC-1")
    assert INTERNAL_ID.search("4711") and INTERNAL_ID.search("P-0002749")


def _ring(n: int) -> Subgraph:
    """A trader with `n` movements around it (and its address)."""
    sg = Subgraph()
    sg.add_node({"_id": "t", "_labels": ["Trader"], "trader_id": "KVK:1", "name": "Hub B.V."})
    sg.add_node({"_id": "a", "_labels": ["Address"], "address_key": "1011AA|1",
                 "street": "Dam", "house_number": "1", "postcode": "1011AA",
                 "city": "Amsterdam"})
    sg.add_edge({"_id": "ea", "_type": "REGISTERED_AT", "_start": "t", "_end": "a"})
    for i in range(n):
        sg.add_node({"_id": f"m{i}", "_labels": ["Movement"], "arc": f"26NL{i:016d}",
                     "dispatched_at": "2023-01-01"})
        sg.add_edge({"_id": f"e{i}", "_type": "CONSIGNED_BY", "_start": f"m{i}", "_end": "t"})
    return sg


def test_a_dense_ring_of_movements_draws_no_labels_but_keeps_names_on_hover() -> None:
    from graphfraud.explore.network import DENSE_LABELS, quiet_groups

    nodes, _ = vis_data(_ring(30), style=NetworkStyle(highlight=frozenset({"t"})))
    by_type: dict[str, list[dict]] = {}
    for n in nodes:
        by_type.setdefault(n["gfType"], []).append(n)
    assert [n["label"] for n in by_type["Movement"]] == [""] * 30  # no ring of labels
    assert all(n["title"].startswith("Movement: ") and n["gfQuiet"]
               for n in by_type["Movement"])  # the name on hover
    assert by_type["Trader"][0]["label"] == "Hub B.V."
    assert by_type["Address"][0]["label"]  # a lone neighbour keeps its label
    assert set(quiet_groups(_ring(30))) == {("t", "Movement")}
    # a movement on a path found keeps its label
    nodes, _ = vis_data(_ring(30), style=NetworkStyle(path_nodes=frozenset({"m3"})))
    assert [n["id"] for n in nodes if n["gfType"] == "Movement" and n["label"]] == ["m3"]
    # at or below the threshold every movement is labelled
    nodes, _ = vis_data(_ring(DENSE_LABELS))
    assert all(n["label"] for n in nodes if n["gfType"] == "Movement")


def test_edges_of_a_dense_ring_or_a_crowded_view_carry_an_empty_label() -> None:
    """The page updates the edges it holds: an edge sent without a label kept the one of
    an earlier, sparser view (seen in the path screenshot: DISPATCHED_FROM over a ring)."""
    from graphfraud.explore.network import DENSE_LABELS

    _, edges = vis_data(_ring(30), style=NetworkStyle(highlight=frozenset({"t"})))
    ring = [e for e in edges if e["title"] == "CONSIGNED_BY"]
    assert len(ring) == 30 and all(e["label"] == "" for e in ring)
    assert [e["label"] for e in edges if e["title"] != "CONSIGNED_BY"] == \
        [e["title"] for e in edges if e["title"] != "CONSIGNED_BY"]  # the rest keep theirs
    _, edges = vis_data(_ring(DENSE_LABELS))
    assert all(e["label"] == e["title"] for e in edges)  # sparse: every edge labelled
    _, edges = vis_data(_ring(60))  # over 40 edges: no edge labels, each said so
    assert edges and all("label" in e and e["label"] == "" for e in edges)
