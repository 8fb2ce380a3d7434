"""Exports of the explorer's view: formula cells neutralised in every CSV, and the page's
own network without a PNG button (the PNG comes inside the audited HTML snapshot)."""

from __future__ import annotations

import csv
import io

from graphfraud.explore import NetworkStyle, Subgraph, network_html
from graphfraud.explore.export import edges_csv, html_snapshot, nodes_csv, rows_csv, safe_cell

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tlead tab", "\rlead cr"]


def _view() -> Subgraph:
    sg = Subgraph()
    for i, bad in enumerate(FORMULAS):
        sg.add_node({"_id": f"n{i}", "_labels": ["Trader"], "trader_id": bad, "name": bad,
                     "note": bad})
    sg.add_edge({"_id": "e1", "_type": "=X", "_start": "n0", "_end": "n1", "role": "@r"})
    return sg


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def test_every_formula_cell_is_neutralised() -> None:
    sg = _view()
    for text in (nodes_csv(sg), edges_csv(sg),
                 rows_csv([{"=a": bad, "b": 1} for bad in FORMULAS])):
        cells = _cells(text)
        assert cells and not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("plain") == "plain" and safe_cell(-3) == -3


def test_the_page_network_has_no_png_button_the_snapshot_has() -> None:
    sg = _view()
    assert 'id="gf-png"' not in network_html(sg, style=NetworkStyle(png_button=False))
    assert 'id="gf-png"' in html_snapshot(sg)
