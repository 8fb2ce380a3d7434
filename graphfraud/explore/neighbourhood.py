"""An entity's neighbourhood, with the supernode guard.

A supernode (a big wholesaler with 5,000 movements, a municipality with every EPS pack)
would bury the picture and the browser. The guard counts the neighbours by label first
(`explorer_neighbour_counts`) and never returns more than `cap` nodes:

* at or under the cap, every neighbour is drawn;
* above it, `aggregated` holds the full count per label and the drawing depends on `mode`:
  - `"aggregate"` (default): whole labels are drawn smallest first while they fit, the
    rest stays a count;
  - `"sample"`: each label gets a share of the cap in proportion to its count (at least
    one), neighbours taken in a stable order (internal id), so the same view comes back;
  - `only_label="Movement"`: up to the cap of that label alone (the filter).

Example: a Trader with 5,000 phones and cap 300 gives 1 node and
`aggregated == {"Phone": 5000}`; with `mode="sample"` it gives 300 nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphfraud.explore.graph import Node, Subgraph
from graphfraud.store.base import GraphStore

DEFAULT_CAP = 300
MODES = ("aggregate", "sample")


class EntityNotFound(LookupError):
    """No node with that label and key (or id) in the graph."""


@dataclass(frozen=True)
class EntityRef:
    """An entity named the way users name it: its label and model key."""

    label: str
    key: str


def find_nodes(store: GraphStore, keys: Mapping[str, list[str]]) -> list[Node]:
    """Nodes by model key, several labels at once ({label: [key, ...]})."""
    clean = {label: [str(k) for k in ks] for label, ks in keys.items() if ks}
    if not clean:
        return []
    return [row["n"] for row in store.run("explorer_nodes_by_keys", {"keys": clean})]


def find_node(store: GraphStore, label: str, key: str) -> Node:
    """The node with `label` and model `key`; `EntityNotFound` says which was missing."""
    nodes = find_nodes(store, {label: [key]})
    if not nodes:
        raise EntityNotFound(f"no {label} with key {key!r} in the graph")
    return nodes[0]


def nodes_by_ids(store: GraphStore, ids: list[str]) -> list[Node]:
    if not ids:
        return []
    return [row["n"] for row in store.run("explorer_nodes_by_ids",
                                          {"ids": [str(i) for i in ids]})]


def neighbour_counts(store: GraphStore, node_id: str) -> dict[str, int]:
    """Distinct neighbours per label, without fetching them."""
    rows = store.run("explorer_neighbour_counts", {"id": str(node_id)})
    return {str(r["label"]): int(r["nodes"]) for r in rows}


def _fetch(store: GraphStore, sg: Subgraph, node_id: str, label: str | None,
           limit: int) -> None:
    if limit <= 0:
        return
    rows = store.run("explorer_neighbours", {"id": str(node_id), "label": label,
                                             "limit": int(limit)})
    for row in rows:
        sg.add_node(row["m"])
        for r in row["rels"]:
            sg.add_edge(r)


def _quotas(counts: Mapping[str, int], budget: int) -> dict[str, int]:
    """A share of `budget` per label in proportion to its count, at least one each,
    largest remainders first; deterministic."""
    total = sum(counts.values())
    if total <= budget:
        return dict(counts)
    labels = sorted(counts)
    if budget < len(labels):  # not even one each: the biggest labels win
        ranked = sorted(labels, key=lambda lb: (-counts[lb], lb))[:budget]
        return {lb: 1 for lb in ranked}
    raw = {lb: budget * counts[lb] / total for lb in labels}
    quota = {lb: max(1, min(counts[lb], int(raw[lb]))) for lb in labels}
    spare = budget - sum(quota.values())
    for lb in sorted(labels, key=lambda x: (-(raw[x] - int(raw[x])), x)):
        if spare <= 0:
            break
        if quota[lb] < counts[lb]:
            quota[lb] += 1
            spare -= 1
    while sum(quota.values()) > budget:  # the "at least one" floor overshot
        lb = max(quota, key=lambda x: (quota[x], x))
        quota[lb] -= 1
    return quota


def neighbourhood_of_node(store: GraphStore, centre: Node, cap: int = DEFAULT_CAP,
                          mode: str = "aggregate", only_label: str | None = None,
                          with_links: bool = True) -> Subgraph:
    """The neighbourhood of an already fetched node (see the module docstring)."""
    if cap < 1:
        raise ValueError("cap must be at least 1 (the entity itself)")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    node_id = str(centre["_id"])
    sg = Subgraph()
    sg.add_node(centre)
    budget = cap - 1
    counts = neighbour_counts(store, node_id)
    total = sum(counts.values())
    if only_label:
        _fetch(store, sg, node_id, only_label, budget)
        if total > len(sg) - 1:
            sg.aggregated = dict(counts)
            sg.truncated = True
    elif total <= budget:
        _fetch(store, sg, node_id, None, budget)
    else:
        sg.aggregated = dict(counts)
        sg.truncated = True
        if mode == "sample":
            for label, quota in sorted(_quotas(counts, budget).items()):
                _fetch(store, sg, node_id, label, quota)
        else:
            left = budget
            for label in sorted(counts, key=lambda lb: (counts[lb], lb)):
                if counts[label] > left:
                    break
                _fetch(store, sg, node_id, label, counts[label])
                left -= counts[label]
        sg.notes.append(f"{total:,} neighbours exceed the cap of {cap}: "
                        f"{len(sg) - 1} drawn, the rest counted by type")
    if with_links and len(sg) > 1:
        add_links_among(store, sg)
    assert len(sg) <= cap  # the guard's promise
    return sg


def neighbourhood(store: GraphStore, label: str, key: str, cap: int = DEFAULT_CAP,
                  mode: str = "aggregate", only_label: str | None = None) -> Subgraph:
    """The neighbourhood of the entity `label`/`key`: never more than `cap` nodes."""
    return neighbourhood_of_node(store, find_node(store, label, key), cap, mode, only_label)


def rel_types_of(label: str) -> list[str]:
    """The relationship types a node of `label` can have (the model schema): what the node
    menu offers to expand by."""
    from graphfraud.model.schema import REL_TYPES

    return sorted({rt.type for rt in REL_TYPES if label in rt.starts or label in rt.ends})


def expand(store: GraphStore, view: Subgraph, node_id: str, cap: int = DEFAULT_CAP,
           mode: str = "aggregate", only_label: str | None = None,
           rel_type: str | None = None) -> Subgraph:
    """Add a node's neighbourhood to `view` (only those joined by `rel_type`, when given),
    keeping the whole view within `cap` nodes."""
    node = view.nodes.get(str(node_id)) or next(iter(nodes_by_ids(store, [node_id])), None)
    if node is None:
        raise EntityNotFound(f"no node with id {node_id!r}")
    room = max(1, cap - len(view) + 1)
    if rel_type:
        part = Subgraph()
        part.add_node(node)
        rows = store.run("explorer_neighbours_via", {"id": str(node["_id"]), "type": rel_type,
                                                     "limit": int(room)})
        for row in rows[: room - 1]:
            part.add_node(row["m"])
            for r in row["rels"]:
                part.add_edge(r)
        if len(rows) >= room:
            part.notes.append(f"{rel_type} of the node reaches more than the room left "
                              f"under the cap of {cap}: {len(part) - 1} drawn")
    else:
        part = neighbourhood_of_node(store, node, room, mode, only_label, with_links=False)
    view.merge(part)
    add_links_among(store, view)
    return view


def add_links_among(store: GraphStore, sg: Subgraph, limit: int = 5000) -> None:
    """Add the relationships among the nodes already in `sg` (not only the spokes)."""
    rows = store.run("explorer_edges_among", {"ids": list(sg.nodes), "limit": limit})
    for row in rows:
        sg.add_edge(row["r"])


def rel_type_counts(store: GraphStore, node_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Per node id, the relationship types it has and how many of each (by type): what
    its menu offers to expand by. Nodes without relationships are left out."""
    if not node_ids:
        return {}
    out: dict[str, list[tuple[str, int]]] = {}
    for r in store.run("explorer_rel_type_counts", {"ids": [str(i) for i in node_ids]}):
        out.setdefault(str(r["id"]), []).append((str(r["type"]), int(r["relationships"])))
    return {k: sorted(v) for k, v in out.items()}


def risk_of(store: GraphStore, node_ids: list[str]) -> dict[str, float]:
    """Highest finding score per node id, from Finding nodes in the graph."""
    if not node_ids:
        return {}
    rows = store.run("explorer_risk", {"ids": [str(i) for i in node_ids]})
    return {str(r["id"]): float(r["score"]) for r in rows if r.get("score") is not None}
