"""A plain view of a graph for assertions: nodes by label and key, edges as triples."""

from __future__ import annotations

from typing import Any

from graphfraud.model import node_type


def graph_view(store) -> tuple[dict[str, dict[str, dict[str, Any]]], set[tuple[str, str, str]]]:
    names: dict[str, str] = {}
    nodes: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.stream("graph_nodes"):
        label = sorted(row["labels"])[0]
        props = row["props"] or {}
        key = props.get(node_type(label).key)
        names[row["id"]] = f"{label}:{key}"
        nodes.setdefault(label, {})[key] = props
    edges = {(names[r["start"]], r["type"], names[r["end"]])
             for r in store.stream("graph_relationships")}
    return nodes, edges
