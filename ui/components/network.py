"""The explorer's interactive network: a bidirectional Streamlit component.

The frontend (`network_frontend/`: our `index.html` and `network.js`, and vis-network
9.1.2 as pyvis ships it, with its licence in `NOTICE.md`) is served by Streamlit from this
folder, so nothing is loaded from outside. Python sends the nodes and edges (built by
`graphfraud.explore.network.vis_data`, the same records, colours, icons and legend as
every other view), the positions it knows and the relationship types each label can
expand by; the frontend sends back one event at a time (`expand`, `hide`, `pin`,
`path_start`, `path_end`, `details`) with the positions of every node drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

from graphfraud.explore.graph import Subgraph
from graphfraud.explore.network import NetworkStyle, legend_html, vis_data, vis_options

FRONTEND = Path(__file__).resolve().parent / "network_frontend"
_component = components.declare_component("gf_network", path=str(FRONTEND))
EVENTS = ("expand", "hide", "pin", "path_start", "path_end", "details")


@dataclass(frozen=True)
class NetworkEvent:
    """What the person did on the network: an event on one node, and where every node was."""

    event: str
    node: str
    seq: str
    positions: dict[str, dict[str, float]] = field(default_factory=dict)
    pinned: tuple[str, ...] = ()
    rel_type: str | None = None

    @classmethod
    def parse(cls, value: Any) -> NetworkEvent | None:
        """The component's value as an event; None for nothing or a malformed one."""
        if not isinstance(value, dict) or value.get("event") not in EVENTS:
            return None
        pos = value.get("positions") if isinstance(value.get("positions"), dict) else {}
        clean = {str(k): {"x": float(v["x"]), "y": float(v["y"])} for k, v in pos.items()
                 if isinstance(v, dict) and {"x", "y"} <= set(v)}
        rel = value.get("rel_type")
        return cls(str(value["event"]), str(value.get("node")), str(value.get("seq")), clean,
                   tuple(str(p) for p in value.get("pinned") or []),
                   str(rel) if rel else None)


def network(sg: Subgraph, risk: dict[str, float] | None, style: NetworkStyle, *,
            positions: dict[str, dict[str, float]] | None = None,
            pinned: list[str] | None = None, key: str = "gf_network",
            height: int = 620, aggregate_note: str = "",
            rel_types: dict[str, list[tuple[str, int]]] | None = None,
            ) -> NetworkEvent | None:
    """Draw `sg` (already redacted for the role) and return the person's last event.
    `rel_types`: per node id, the relationship types it has with their counts (the
    menu's "Expand by"; `Session.rel_type_counts`)."""
    nodes, edges = vis_data(sg, risk, style)
    value = _component(nodes=nodes, edges=edges, options=vis_options(style),
                       legend=legend_html(sg, style.colour_by), agg=aggregate_note,
                       colour_by=style.colour_by, positions=positions or {},
                       pinned=list(pinned or []), height=int(height),
                       rel_types={i: [[t, int(n)] for t, n in (rel_types or {}).get(i, [])]
                                  for i in sg.nodes},
                       key=key, default=None)
    return NetworkEvent.parse(value)
