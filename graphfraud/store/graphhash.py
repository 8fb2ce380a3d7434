"""A canonical hash of the graph: the same nodes, relationships and properties give the
same hash on any backend, whatever internal ids the engine chose."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from graphfraud.model import node_type
from graphfraud.store.base import GraphStore


def _canon(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # FalkorDB and Neo4j disagree on 1 vs 1.0 in some aggregates
    if isinstance(value, list):
        return [_canon(v) for v in value]
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in sorted(value.items())}
    return value


def graph_fingerprint(store: GraphStore) -> dict[str, Any]:
    """Counts and a sha256 over canonical nodes (label:key) and relationships."""
    names: dict[str, str] = {}
    nodes: list[str] = []
    for row in store.stream("graph_nodes"):
        labels = sorted(row["labels"])
        props = row["props"] or {}
        try:
            key = node_type(labels[0]).key
            name = f"{labels[0]}:{props.get(key)}"
        except KeyError:
            name = f"{labels}:{json.dumps(_canon(props), sort_keys=True)}"
        names[row["id"]] = name
        nodes.append(json.dumps([name, labels, _canon(props)], sort_keys=True, default=str))
    rels = [json.dumps([names.get(r["start"]), r["type"], names.get(r["end"]),
                        _canon(r["props"] or {})], sort_keys=True, default=str)
            for r in store.stream("graph_relationships")]
    digest = hashlib.sha256()
    for line in sorted(nodes) + ["--"] + sorted(rels):
        digest.update(line.encode())
        digest.update(b"\n")
    return {"nodes": len(nodes), "relationships": len(rels), "sha256": digest.hexdigest()}
