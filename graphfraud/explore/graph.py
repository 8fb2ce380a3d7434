"""The explorer's view of a graph: nodes and edges as plain dicts, merged as the user expands.

Nodes and relationships come from the store in the shapes of `graphfraud.store.values`
(`_id`, `_labels` / `_type`, `_start`, `_end`, properties). A `Subgraph` keeps them by
internal id so expanding a neighbour twice never draws a node twice, and knows how to
name a node in the users' words (the model's caption, else its key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphfraud.explore.labels import INTERNAL_ID, name_of
from graphfraud.model.schema import NODE_TYPES

Node = dict[str, Any]
Edge = dict[str, Any]

#: Labels the explorer knows, with the model's key property.
KEY_OF: dict[str, str] = {nt.label: nt.key for nt in NODE_TYPES}


def label_of(node: Node) -> str:
    """The node's (first) label; GraphFraud nodes carry exactly one."""
    labels = node.get("_labels") or ["?"]
    return str(labels[0])


def key_of(node: Node) -> str | None:
    """The value of the node's model key (e.g. a Trader's trader_id)."""
    prop = KEY_OF.get(label_of(node))
    value = node.get(prop) if prop else None
    return None if value is None else str(value)


def caption_of(node: Node, width: int = 40) -> str:
    """What to write on a node: its name in the users' words (`labels.name_of`), else the
    pseudonym a redacted node carries, else its key when that is not an internal id, else
    the label alone. Ids are for the detail panel."""
    label = label_of(node)
    text: Any = name_of(node, label)
    if not text:
        key = key_of(node) or ""
        text = (node.get("pseudonym") or node.get("withheld")
                or (key if key and not INTERNAL_ID.search(key) else label))
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Subgraph:
    """Nodes and edges by internal id, plus what the supernode guard left out."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    #: label -> how many neighbours of that label were counted but not drawn
    aggregated: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    def add_node(self, node: Node) -> None:
        if node and node.get("_id") is not None:
            self.nodes.setdefault(str(node["_id"]), node)

    def add_edge(self, edge: Edge) -> None:
        if edge and edge.get("_id") is not None:
            self.edges.setdefault(str(edge["_id"]), edge)

    def add_path(self, path: dict[str, Any]) -> None:
        for n in path.get("nodes", []):
            self.add_node(n)
        for r in path.get("relationships", []):
            self.add_edge(r)

    def merge(self, other: Subgraph) -> Subgraph:
        """Add `other` into this view (an expansion); returns self."""
        for n in other.nodes.values():
            self.add_node(n)
        for e in other.edges.values():
            self.add_edge(e)
        for label, count in other.aggregated.items():
            self.aggregated[label] = max(self.aggregated.get(label, 0), count)
        self.truncated = self.truncated or other.truncated
        self.notes.extend(n for n in other.notes if n not in self.notes)
        return self

    def drawable_edges(self) -> list[Edge]:
        """Edges whose both ends are in the view (the others cannot be drawn)."""
        return [e for e in self.edges.values()
                if str(e.get("_start")) in self.nodes and str(e.get("_end")) in self.nodes]

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes.values()), "edges": self.drawable_edges(),
                "aggregated": dict(self.aggregated), "truncated": self.truncated,
                "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Subgraph:
        sg = cls(aggregated=dict(data.get("aggregated") or {}),
                 truncated=bool(data.get("truncated")), notes=list(data.get("notes") or []))
        for n in data.get("nodes", []):
            sg.add_node(n)
        for e in data.get("edges", []):
            sg.add_edge(e)
        return sg

    def __len__(self) -> int:
        return len(self.nodes)
