"""Draw a `Subgraph` as a standalone, offline HTML page with vis-network (from pyvis).

Air-gapped networks: nothing may load from outside. pyvis's own template pulls Bootstrap
from a CDN even in `cdn_resources="in_line"` mode, so GraphFraud uses pyvis for what it
is good at (node/edge records and the options object) and writes a small page of its own
that inlines the vis-network JavaScript and CSS shipped inside the pyvis package.

The page stabilises the layout with physics, then freezes it (physics off) so the
picture stops moving; colours come from the model's labels (legend by type) or from
risk (the highest finding score of a node, from Finding nodes or the findings file).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from graphfraud.explore.graph import Subgraph, caption_of, key_of, label_of
from graphfraud.model.schema import NODE_TYPES

# One colour per label, in the model's order (a colour-blind-safe-ish palette).
_PALETTE = (
    "#1f77b4", "#d62728", "#8c564b", "#ff7f0e", "#2ca02c", "#98df8a", "#17becf", "#9467bd",
    "#7f7f7f", "#bcbd22", "#e377c2", "#c5b0d5", "#aec7e8", "#ffbb78", "#c49c94", "#dbdb8d",
    "#f7b6d2", "#9edae5", "#393b79", "#637939", "#843c39",
)
LABEL_COLOURS: dict[str, str] = {
    nt.label: _PALETTE[i % len(_PALETTE)] for i, nt in enumerate(NODE_TYPES)
}
AGGREGATE_COLOUR = "#dddddd"
UNKNOWN_COLOUR = "#999999"


def risk_colour(score: float | None) -> str:
    """Grey for no finding, then yellow to red as the score rises (0..1)."""
    if score is None:
        return "#c8c8c8"
    s = max(0.0, min(1.0, float(score)))
    red = 255
    green = int(210 * (1 - s))
    return f"#{red:02x}{green:02x}30"


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside the pyvis package."""
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # `</script>` inside the bundle would end our inline script early.
    return js.replace("</script>", "<\\/script>"), css


@dataclass(frozen=True)
class NetworkStyle:
    colour_by: str = "type"  # "type" or "risk"
    height_px: int = 600
    physics: bool = True
    highlight: frozenset[str] = frozenset()  # node ids drawn larger (e.g. a path, a centre)
    #: the page's own PNG button: an export no server sees, so the workbench turns it off
    #: and offers the PNG inside the (audited) HTML snapshot download instead
    png_button: bool = True


def _title(node: dict[str, Any]) -> str:
    """Hover text: label, key and the plain properties (provenance lists shortened)."""
    lines = [f"{label_of(node)} {key_of(node) or ''}".strip()]
    for k, v in node.items():
        if k.startswith("_") or v is None:
            continue
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v[:5])
        lines.append(f"{k}: {v}")
    return "\n".join(lines[:16])


def vis_data(sg: Subgraph, risk: dict[str, float] | None = None,
             style: NetworkStyle | None = None) -> tuple[list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """vis-network node and edge records for `sg`, built with pyvis."""
    from pyvis.network import Network

    style = style or NetworkStyle()
    risk = risk or {}
    net = Network(cdn_resources="in_line", directed=True)
    for nid, node in sg.nodes.items():
        label = label_of(node)
        score = risk.get(nid)
        colour = (risk_colour(score) if style.colour_by == "risk"
                  else LABEL_COLOURS.get(label, UNKNOWN_COLOUR))
        size = 22 if nid in style.highlight else 14
        if score is not None:
            size += int(10 * score)
        net.add_node(nid, label=caption_of(node, 28), title=_title(node), color=colour,
                     size=size, group=label, shape="dot",
                     borderWidth=4 if score is not None else 1)
    edges = sg.drawable_edges()
    labelled = len(edges) <= 40  # edge labels only where they stay readable
    for e in edges:
        extra: dict[str, Any] = {"label": str(e.get("_type", ""))} if labelled else {}
        net.add_edge(str(e["_start"]), str(e["_end"]), title=str(e.get("_type", "")),
                     id=str(e["_id"]), arrows="to", font={"size": 9, "align": "middle"},
                     **extra)
    # The guard's aggregate: one box per hidden label, tied to the centres.
    centres = [n for n in style.highlight if n in sg.nodes] or list(sg.nodes)[:1]
    drawn_by_label: dict[str, int] = {}
    for node in sg.nodes.values():
        drawn_by_label[label_of(node)] = drawn_by_label.get(label_of(node), 0) + 1
    for label, count in sorted(sg.aggregated.items()):
        hidden = count - max(0, drawn_by_label.get(label, 0) - (1 if centres else 0))
        if hidden <= 0 or not centres:
            continue
        agg_id = f"agg:{label}"
        net.add_node(agg_id, label=f"+{hidden:,} {label}", shape="box",
                     color=AGGREGATE_COLOUR, title=f"{hidden:,} more {label} neighbours "
                     "not drawn (supernode guard)", group="aggregate")
        net.add_edge(centres[0], agg_id, dashes=True, color="#aaaaaa")
    return net.nodes, net.edges


def _options(style: NetworkStyle) -> dict[str, Any]:
    return {
        "physics": {
            "enabled": style.physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50,
                              "fit": True},
        },
        "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 120},
        "edges": {"smooth": False, "color": {"color": "#888888"}},
        "nodes": {"font": {"size": 12}},
    }


def legend_items(sg: Subgraph, colour_by: str = "type") -> list[tuple[str, str]]:
    """(text, colour) pairs for the legend of the labels present."""
    if colour_by == "risk":
        return [("no finding", risk_colour(None)), ("score 0.3", risk_colour(0.3)),
                ("score 0.6", risk_colour(0.6)), ("score 0.9", risk_colour(0.9))]
    labels = sorted({label_of(n) for n in sg.nodes.values()})
    return [(label, LABEL_COLOURS.get(label, UNKNOWN_COLOUR)) for label in labels]


def network_html(sg: Subgraph, risk: dict[str, float] | None = None,
                 style: NetworkStyle | None = None, title: str = "GraphFraud network") -> str:
    """A standalone HTML page drawing `sg`; loads nothing from the network."""
    style = style or NetworkStyle()
    nodes, edges = vis_data(sg, risk, style)
    js, css = _vis_assets()
    legend = "".join(
        f'<span class="gf-key"><span class="gf-dot" style="background:{c}"></span>'
        f"{html.escape(t)}</span>" for t, c in legend_items(sg, style.colour_by))
    agg = ""
    if sg.aggregated:
        parts = ", ".join(f"{label} {count:,}" for label, count in sorted(sg.aggregated.items()))
        agg = f'<div class="gf-agg">Neighbourhood above the cap, counted by type: {html.escape(parts)}</div>'
    png = '<button id="gf-png" type="button">PNG</button>' if style.png_button else ""
    payload = json.dumps({"nodes": nodes, "edges": edges, "options": _options(style)})
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e")  # data stays data
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{css}</style>
<style>
 body {{ margin: 0; font-family: sans-serif; font-size: 12px; }}
 #gf-network {{ width: 100%; height: {int(style.height_px)}px; border: 1px solid #ddd; }}
 .gf-legend {{ padding: 4px 6px; }}
 .gf-key {{ margin-right: 10px; white-space: nowrap; }}
 .gf-dot {{ display: inline-block; width: 10px; height: 10px; border-radius: 5px;
           margin-right: 3px; vertical-align: middle; }}
 .gf-agg {{ padding: 2px 6px; color: #a33; }}
 #gf-png {{ float: right; font-size: 11px; }}
</style>
<script>{js}</script>
</head><body>
<div class="gf-legend">{legend}{png}</div>{agg}
<div id="gf-network"></div>
<script>
(function () {{
  var data = {payload};
  var container = document.getElementById("gf-network");
  var network = new vis.Network(container,
    {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, data.options);
  window.gfNetwork = network;
  function freeze() {{ network.setOptions({{physics: false}}); container.dataset.frozen = "1"; }}
  network.on("stabilizationIterationsDone", freeze);
  setTimeout(freeze, 8000);
  var png = document.getElementById("gf-png");
  if (png) png.onclick = function () {{
    var canvas = container.getElementsByTagName("canvas")[0];
    var a = document.createElement("a");
    a.href = canvas.toDataURL("image/png"); a.download = "graphfraud-network.png"; a.click();
  }};
}})();
</script>
</body></html>
"""
