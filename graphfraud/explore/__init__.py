"""The explorer's core: search, neighbourhoods with a supernode guard, paths, timelines and
exports over a `GraphStore`. The UI calls these; so can tests, scripts and the CLI.

Every statement is a named query in `cypher/explorer/`; nothing here knows which
database is behind the store.
"""

from __future__ import annotations

from graphfraud.explore.export import edges_csv, graph_json, html_snapshot, nodes_csv
from graphfraud.explore.graph import Subgraph, caption_of, key_of, label_of
from graphfraud.explore.neighbourhood import (
    DEFAULT_CAP,
    EntityNotFound,
    EntityRef,
    expand,
    find_node,
    find_nodes,
    neighbour_counts,
    neighbourhood,
    neighbourhood_of_node,
    nodes_by_ids,
    risk_of,
)
from graphfraud.explore.network import LABEL_COLOURS, NetworkStyle, network_html
from graphfraud.explore.paths import PathResult, shortest_path, time_respecting_path
from graphfraud.explore.search import SearchHit, search_entities
from graphfraud.explore.timeline import TimelineEvent, timeline, timeline_of_node

__all__ = [
    "DEFAULT_CAP", "LABEL_COLOURS", "EntityNotFound", "EntityRef", "NetworkStyle",
    "PathResult", "SearchHit", "Subgraph", "TimelineEvent", "caption_of", "edges_csv",
    "expand", "find_node", "find_nodes", "graph_json", "html_snapshot", "key_of",
    "label_of", "neighbour_counts", "neighbourhood", "neighbourhood_of_node",
    "network_html", "nodes_by_ids", "nodes_csv", "risk_of", "search_entities",
    "shortest_path", "time_respecting_path", "timeline", "timeline_of_node",
]
