"""Export the explorer's current view: nodes and edges as CSV, the graph as JSON, and a
standalone HTML snapshot (the same offline page the explorer shows, with a PNG button).

Pure functions from a `Subgraph` (or rows) to text; the UI offers them as downloads to
roles with the export right, and the Session records each export in the audit log.
Every CSV cell that a spreadsheet would read as a formula (a leading `=`, `+`, `-`,
`@`, tab or carriage return) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from graphfraud.explore.graph import Subgraph, caption_of, key_of, label_of
from graphfraud.explore.network import NetworkStyle, network_html

NODE_COLUMNS = ("_id", "_label", "_key", "_caption")
EDGE_COLUMNS = ("_id", "_type", "_start", "_end")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """Rows (plain values, lists, maps) as CSV with every cell neutralised."""
    cols = list(columns or ([*rows[0]] if rows else []))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(c) for c in cols])
    for r in rows:
        w.writerow([safe_cell(_plain(r.get(c))) for c in cols])
    return buf.getvalue()


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def _props(items: list[dict[str, Any]]) -> list[str]:
    return sorted({k for it in items for k in it if not k.startswith("_")})


def nodes_csv(sg: Subgraph) -> str:
    """One row per node: id, label, key, name, then every property (sorted)."""
    nodes = list(sg.nodes.values())
    props = _props(nodes)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(c) for c in (*NODE_COLUMNS, *props)])
    for n in nodes:
        w.writerow([safe_cell(c) for c in (
            _plain(n.get("_id")), label_of(n), key_of(n) or "", caption_of(n, 200),
            *(_plain(n.get(p)) for p in props))])
    return buf.getvalue()


def edges_csv(sg: Subgraph) -> str:
    """One row per drawable edge: id, type, start id, end id, then properties."""
    edges = sg.drawable_edges()
    props = _props(edges)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(c) for c in (*EDGE_COLUMNS, *props)])
    for e in edges:
        w.writerow([safe_cell(c) for c in (
            _plain(e.get("_id")), _plain(e.get("_type")), _plain(e.get("_start")),
            _plain(e.get("_end")), *(_plain(e.get(p)) for p in props))])
    return buf.getvalue()


def graph_json(sg: Subgraph) -> str:
    """The view as JSON: {nodes, edges, aggregated, truncated, notes}."""
    return json.dumps(sg.to_dict(), ensure_ascii=False, indent=1, sort_keys=True)


def html_snapshot(sg: Subgraph, risk: dict[str, float] | None = None,
                  style: NetworkStyle | None = None) -> str:
    """A standalone, offline HTML page of the view."""
    return network_html(sg, risk, style, title="GraphFraud snapshot")
