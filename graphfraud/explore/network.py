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

from graphfraud.explore.graph import Subgraph, caption_of, label_of
from graphfraud.model.schema import NODE_TYPES

# One fixed colour per label of the model, by name (not by position, so a new label in the
# schema never shifts the others); the same in every view and in its legend.
LABEL_COLOURS: dict[str, str] = {
    "Trader": "#1f77b4", "Person": "#d62728", "Address": "#8c564b", "Premise": "#ff7f0e",
    "Movement": "#2ca02c", "MovementLine": "#98df8a", "MovementEvent": "#17becf",
    "Vehicle": "#9467bd", "Phone": "#7f7f7f", "Email": "#bcbd22", "Machine": "#e377c2",
    "Licence": "#c5b0d5", "MachineEvent": "#aec7e8", "RetailCheck": "#ffbb78",
    "CheckLine": "#c49c94", "EpsPack": "#dbdb8d", "Municipality": "#f7b6d2", "Tip": "#9edae5",
    "Seizure": "#393b79", "NameMention": "#637939", "Delivery": "#843c39",
    "Finding": "#e6550d",
    # case work (graphfraud/cases)
    "Case": "#5254a3", "Note": "#8ca252", "SavedView": "#bd9e39", "CaseFinding": "#ad494a",
    "Watch": "#a55194", "Alert": "#d6616b",
}
LABEL_COLOURS.update({nt.label: "#999999" for nt in NODE_TYPES if nt.label not in LABEL_COLOURS})
#: One icon per label (a vis-network shape drawn in the type's colour; the legend draws the
#: same shape). Families share a shape: parties, places, movements and events, contact
#: points, machines and licences, investigation data, case work. "box" is kept for the
#: supernode guard's aggregate boxes.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "dot": ("Trader",),
    "triangle": ("Person", "NameMention"),
    "square": ("Address", "Premise", "Municipality"),
    "diamond": ("Movement", "MovementLine", "MovementEvent", "MachineEvent", "RetailCheck",
                "CheckLine", "EpsPack", "Delivery"),
    "triangleDown": ("Vehicle", "Phone", "Email"),
    "hexagon": ("Machine", "Licence", "Case", "Note", "SavedView", "CaseFinding", "Watch",
                "Alert"),
    "star": ("Tip", "Seizure", "Finding"),
}
LABEL_SHAPES: dict[str, str] = {lb: shape for shape, lbs in _FAMILIES.items() for lb in lbs}
LABEL_SHAPES.update({nt.label: "dot" for nt in NODE_TYPES if nt.label not in LABEL_SHAPES})
AGGREGATE_COLOUR = "#f4f4f4"  # aggregate boxes: pale, dashed border, never a type colour
AGGREGATE_BORDER = "#555555"
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
    #: a found path, drawn in place: its nodes ringed, its relationships thick and red
    path_nodes: frozenset[str] = frozenset()
    path_edges: frozenset[str] = frozenset()


def _title(node: dict[str, Any]) -> str:
    """Hover text: the type and the name; every property (and the ids) is in the detail
    panel, not in a tooltip dump."""
    return f"{label_of(node)}: {caption_of(node, 80)}"


PATH_COLOUR = "#d62728"


def _colour(fill: str, border: str = "#333333") -> dict[str, Any]:
    """A vis-network colour object: the same fill when hovered or selected."""
    return {"background": fill, "border": border,
            "highlight": {"background": fill, "border": "#000000"},
            "hover": {"background": fill, "border": "#000000"}}


#: more neighbours of one type around one node than this and their labels are not drawn
#: (a ring of 30 movement labels around a trader overlaps into nothing readable); their
#: names stay in the hover text and the detail panel
DENSE_LABELS = 12


def quiet_groups(sg: Subgraph, keep: frozenset[str] = frozenset()) -> dict[tuple[str, str],
                                                                           list[str]]:
    """(node id, label) -> the ids of that node's neighbours of that label, for groups
    larger than `DENSE_LABELS` (pure). Ids in `keep` (the centre, a path) are left out."""
    around: dict[tuple[str, str], set[str]] = {}
    for e in sg.drawable_edges():
        a, b = str(e["_start"]), str(e["_end"])
        if a == b:
            continue
        for hub, other in ((a, b), (b, a)):
            around.setdefault((hub, label_of(sg.nodes[other])), set()).add(other)
    return {k: sorted(v - keep) for k, v in sorted(around.items())
            if len(v) > DENSE_LABELS and v - keep}


def vis_data(sg: Subgraph, risk: dict[str, float] | None = None,
             style: NetworkStyle | None = None) -> tuple[list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """vis-network node and edge records for `sg`, built with pyvis."""
    from pyvis.network import Network

    style = style or NetworkStyle()
    risk = risk or {}
    net = Network(cdn_resources="in_line", directed=True)
    quiet = {i for ids in quiet_groups(sg, style.highlight | style.path_nodes).values()
             for i in ids}
    # No `group=`: pyvis 0.3.2 drops `color` when a group is passed, and vis-network then
    # paints its own palette. The type travels as `gfType` for the page and its tests.
    for nid, node in sg.nodes.items():
        label = label_of(node)
        score = risk.get(nid)
        fill = (risk_colour(score) if style.colour_by == "risk"
                else LABEL_COLOURS.get(label, UNKNOWN_COLOUR))
        size = 22 if nid in style.highlight else 14
        if score is not None:
            size += int(10 * score)  # risk as size, whatever the colouring
        on_path = nid in style.path_nodes
        net.add_node(nid, label=caption_of(node, 28), title=_title(node),
                     gfQuiet=nid in quiet,
                     color=_colour(fill, "#000000" if on_path else "#333333"), size=size,
                     shape=LABEL_SHAPES.get(label, "dot"), gfType=label, gfFill=fill,
                     gfPath=on_path,
                     borderWidth=5 if on_path else 4 if score is not None else 1)
    for rec in net.nodes:  # after add_node: pyvis puts the id where a label is empty
        if rec.get("gfQuiet"):
            rec["label"] = ""
    edges = sg.drawable_edges()
    labelled = len(edges) <= 40  # edge labels only where they stay readable
    for e in edges:
        # always a label, empty where none is drawn: the page updates the edges it holds,
        # and an edge sent without one kept the label of an earlier, sparser view; an
        # edge into a dense ring gets none either (a ring of the same type overlaps)
        quiet_end = str(e["_start"]) in quiet or str(e["_end"]) in quiet
        extra: dict[str, Any] = {"label": str(e.get("_type", ""))
                                 if labelled and not quiet_end else ""}
        if str(e["_id"]) in style.path_edges:
            extra.update(color={"color": PATH_COLOUR, "highlight": PATH_COLOUR,
                                "hover": PATH_COLOUR, "inherit": False}, width=4,
                         gfPath=True)
        net.add_edge(str(e["_start"]), str(e["_end"]), title=str(e.get("_type", "")),
                     id=str(e["_id"]), arrows="to", font={"size": 9, "align": "middle"},
                     **extra)
    centres = [n for n in style.highlight if n in sg.nodes] or list(sg.nodes)[:1]
    if centres:
        for label, hidden in sorted(hidden_counts(sg, centres[0]).items()):
            agg_id = f"agg:{label}"
            net.add_node(agg_id, label=f"+{hidden:,} {label}", shape="box",
                         color={"background": AGGREGATE_COLOUR, "border": AGGREGATE_BORDER},
                         shapeProperties={"borderDashes": [4, 3]}, borderWidth=1,
                         font={"color": "#333333", "size": 11}, gfType="aggregate",
                         gfFill=AGGREGATE_COLOUR, gfHidden=hidden,
                         title=f"{hidden:,} more {label} neighbours not drawn "
                               "(supernode guard)")
            net.add_edge(centres[0], agg_id, dashes=True, color="#aaaaaa")
    return net.nodes, net.edges


def hidden_counts(sg: Subgraph, centre: str) -> dict[str, int]:
    """Per label, the guard's count of `centre`'s neighbours less those already drawn
    (a neighbour is drawn when an edge in the view joins it to the centre)."""
    if not sg.aggregated or centre not in sg.nodes:
        return {}
    drawn: dict[str, set[str]] = {}
    for e in sg.drawable_edges():
        a, b = str(e["_start"]), str(e["_end"])
        if centre in (a, b) and a != b:
            other = b if a == centre else a
            drawn.setdefault(label_of(sg.nodes[other]), set()).add(other)
    out = {label: count - len(drawn.get(label, ())) for label, count in sg.aggregated.items()}
    return {label: n for label, n in out.items() if n > 0}


def vis_options(style: NetworkStyle) -> dict[str, Any]:
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


#: the legend's icons: SVG paths in a 10x10 box, one per vis-network shape
_ICON_SVG: dict[str, str] = {
    "dot": '<circle cx="5" cy="5" r="4.5"/>',
    "square": '<rect x="0.5" y="0.5" width="9" height="9"/>',
    "diamond": '<polygon points="5,0 10,5 5,10 0,5"/>',
    "triangle": '<polygon points="5,0.5 9.8,9.5 0.2,9.5"/>',
    "triangleDown": '<polygon points="0.2,0.5 9.8,0.5 5,9.5"/>',
    "hexagon": '<polygon points="2.5,0.7 7.5,0.7 10,5 7.5,9.3 2.5,9.3 0,5"/>',
    "star": '<polygon points="5,0 6.2,3.6 10,3.7 7,6 8.1,9.6 5,7.5 1.9,9.6 3,6 0,3.7 3.8,3.6"/>',
}


def icon_svg(shape: str, colour: str) -> str:
    """A small inline SVG of a node shape in `colour` (the legend's icon)."""
    body = _ICON_SVG.get(shape, _ICON_SVG["dot"])
    return (f'<svg class="gf-dot" width="11" height="11" viewBox="0 0 10 10" '
            f'fill="{colour}" stroke="#333" stroke-width="0.6">{body}</svg>')


def legend_html(sg: Subgraph, colour_by: str = "type") -> str:
    """The legend as HTML (one `gf-key` per entry, its colour in `data-colour`, its icon
    the shape its nodes are drawn with)."""
    return "".join(
        f'<span class="gf-key" data-key="{html.escape(t)}" data-colour="{c}" '
        f'data-shape="{LABEL_SHAPES.get(t, "dot")}">'
        f'{icon_svg(LABEL_SHAPES.get(t, "dot") if colour_by == "type" else "dot", c)}'
        f'{html.escape(t)}</span>'
        for t, c in legend_items(sg, colour_by))


def network_html(sg: Subgraph, risk: dict[str, float] | None = None,
                 style: NetworkStyle | None = None, title: str = "GraphFraud network") -> str:
    """A standalone HTML page drawing `sg`; loads nothing from the network."""
    style = style or NetworkStyle()
    nodes, edges = vis_data(sg, risk, style)
    js, css = _vis_assets()
    legend = legend_html(sg, style.colour_by)
    agg = ""
    if sg.aggregated:
        parts = ", ".join(f"{label} {count:,}" for label, count in sorted(sg.aggregated.items()))
        agg = f'<div class="gf-agg">Neighbourhood above the cap, counted by type: {html.escape(parts)}</div>'
    png = '<button id="gf-png" type="button">PNG</button>' if style.png_button else ""
    payload = json.dumps({"nodes": nodes, "edges": edges, "options": vis_options(style)})
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e")  # data stays data
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{css}</style>
<style>
 body {{ margin: 0; font-family: sans-serif; font-size: 12px; }}
 #gf-network {{ width: 100%; height: {int(style.height_px)}px; border: 1px solid #ddd; }}
 .gf-legend {{ padding: 4px 6px; }}
 .gf-key {{ margin-right: 10px; white-space: nowrap; }}
 .gf-dot {{ display: inline-block; margin-right: 3px; vertical-align: middle; }}
 .gf-agg {{ padding: 2px 6px; color: #555; }}
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
  var nodes = new vis.DataSet(data.nodes);
  var network = new vis.Network(container,
    {{nodes: nodes, edges: new vis.DataSet(data.edges)}}, data.options);
  window.gfNetwork = network;
  window.gfNodes = nodes;
  container.dataset.colourBy = {json.dumps(style.colour_by)};
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
