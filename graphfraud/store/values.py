"""Turn driver values into plain Python: one shape for nodes, relationships and paths.

A node becomes `{"_id", "_labels", ...properties}`, a relationship
`{"_id", "_type", "_start", "_end", ...properties}`, a path
`{"_path": True, "nodes": [...], "relationships": [...]}`. Temporal values become ISO
strings. The UI draws networks from these shapes whatever the backend.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any


class EngineTemporal(str):
    """A temporal value from the embedded engine, as ISO text. Its comparisons, sorts and
    sub-second parts differ from Neo4j's, so the free-query path refuses a result holding
    one (`falkordb_dialect.check_rows`); elsewhere it is plain text."""


def is_node(value: Any) -> bool:
    return isinstance(value, dict) and "_labels" in value


def is_relationship(value: Any) -> bool:
    return isinstance(value, dict) and "_type" in value and "_start" in value


def is_path(value: Any) -> bool:
    return isinstance(value, dict) and value.get("_path") is True


def from_neo4j(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship
    from neo4j.spatial import Point
    from neo4j.time import Date, DateTime, Duration, Time

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Node):
        return {"_id": value.element_id, "_labels": sorted(value.labels),
                **{k: from_neo4j(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_id": value.element_id, "_type": value.type,
                "_start": value.start_node.element_id, "_end": value.end_node.element_id,
                **{k: from_neo4j(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"_path": True, "nodes": [from_neo4j(n) for n in value.nodes],
                "relationships": [from_neo4j(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [from_neo4j(v) for v in value]
    if isinstance(value, dict):
        return {k: from_neo4j(v) for k, v in value.items()}
    if isinstance(value, (Date, DateTime, Time)):
        return value.iso_format()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Point):
        return list(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def from_falkordb(value: Any) -> Any:
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Node):
        return {"_id": str(value.id), "_labels": sorted(value.labels or []),
                **{k: from_falkordb(v) for k, v in (value.properties or {}).items()}}
    if isinstance(value, Edge):
        start = value.src_node.id if hasattr(value.src_node, "id") else value.src_node
        end = value.dest_node.id if hasattr(value.dest_node, "id") else value.dest_node
        return {"_id": str(value.id), "_type": value.relation, "_start": str(start),
                "_end": str(end),
                **{k: from_falkordb(v) for k, v in (value.properties or {}).items()}}
    if isinstance(value, Path):
        return {"_path": True, "nodes": [from_falkordb(n) for n in value.nodes()],
                "relationships": [from_falkordb(e) for e in value.edges()]}
    if isinstance(value, (list, tuple)):
        return [from_falkordb(v) for v in value]
    if isinstance(value, dict):
        return {k: from_falkordb(v) for k, v in value.items()}
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return EngineTemporal(value.isoformat())
    if isinstance(value, _dt.timedelta):
        return EngineTemporal(str(value))
    return value
