"""The case report as one self-contained HTML file: inline CSS and SVG, the Vera font
embedded as data, no script and no reference to anything outside the file."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from html import escape

from graphfraud.detect.records import Reason
from graphfraud.report.content import ReportContent


def _font() -> str:
    import reportlab

    path = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    with open(path, "rb") as fh:
        return base64.b64encode(fh.read()).decode("ascii")


def _table(head: list[str], rows: list[list[object]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def waterfall_svg(reasons: Sequence[Reason], width: int = 720) -> str:
    row, left = 18, 260
    scale = width - left - 60
    out, start = [], 0.0
    for i, r in enumerate(reasons):
        part, y = float(r.part or 0.0), i * row
        out.append(f'<text x="0" y="{y + 12}">{escape(str(r.signal))}</text>'
                   f'<rect x="{left + start * scale:.1f}" y="{y + 2}" '
                   f'width="{max(part * scale, 1):.1f}" height="{row - 5}" fill="#d62728"/>'
                   f'<text x="{left + (start + part) * scale + 4:.1f}" y="{y + 12}">'
                   f'+{part:.3f}</text>')
        start += part
    h = row * len(reasons) + 20
    out.append(f'<text x="{left}" y="{h - 4}">0</text><text x="{left + scale - 6}" '
               f'y="{h - 4}">1</text><text x="{left + start * scale - 20:.1f}" y="{h - 4}" '
               f'font-weight="bold">score {start:.3f}</text>')
    return (f'<svg class="waterfall" width="{width}" height="{h}" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="11">{"".join(out)}</svg>')


def network_svg(rc: ReportContent, width: int = 720, height: int = 460) -> str:
    pad = 24
    at = {n.id: (pad + n.x * (width - 2 * pad), pad + (1 - n.y) * (height - 2 * pad))
          for n in rc.nodes}
    colour = dict(rc.legend)
    parts = [f'<line x1="{at[a][0]:.1f}" y1="{at[a][1]:.1f}" x2="{at[b][0]:.1f}" '
             f'y2="{at[b][1]:.1f}" stroke="#9a9a9a" stroke-width="0.7"><title>{escape(t)}'
             f'</title></line>' for a, b, t in rc.edges]
    for n in rc.nodes:
        x, y = at[n.id]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour[n.label]}">'
                     f'<title>{escape(n.label)} {escape(n.caption)}</title></circle>'
                     f'<text x="{x + 7:.1f}" y="{y + 3:.1f}" font-size="9">'
                     f'{escape(n.caption)}</text>')
    legend = "".join(f'<span class="key"><i style="background:{c}"></i>{escape(lb)} '
                     f'({sum(n.label == lb for n in rc.nodes)})</span>' for lb, c in rc.legend)
    return (f'<svg class="network" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
            f'<div class="legend"><b>Legend</b> {legend}</div>')


CSS = """@font-face{font-family:GFVera;src:url(data:font/ttf;base64,%s) format('truetype')}
body{font-family:GFVera,sans-serif;font-size:13px;max-width:60em;margin:2em auto}
.stamp{color:#b00020;font-weight:bold;font-size:18px}table{border-collapse:collapse;
margin:.5em 0}td,th{border:1px solid #999;padding:2px 5px;vertical-align:top;font-size:11px}
th{background:#e8e8e8}.legend .key{margin-right:1.2em}.legend i{display:inline-block;
width:10px;height:10px;margin-right:3px}svg{border:1px solid #ddd}
header{color:#b00020;font-weight:bold}"""


def render_html(rc: ReportContent) -> str:
    c = rc.case
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
           f"<title>Case report {escape(c['reference'])}</title>"
           f"<style>{CSS % _font()}</style></head><body>",
           f"<header>{escape(rc.classification.upper())} - {escape(c['reference'])}</header>",
           f"<p class='stamp'>Classification: {escape(rc.classification)}</p>",
           f"<h1>Case report {escape(c['reference'])}</h1><h2>{escape(c['title'])}</h2>",
           _table(["field", "value"], [
               ["reference", c["reference"]], ["status", c["status"]],
               ["author (owner)", c["owner"]], ["members", ", ".join(c["members"]) or "-"],
               ["opened", c["created_at"]], ["last change", c["updated_at"]],
               ["date printed", rc.printed_at],
               ["reader", f"{rc.reader} ({rc.reader_role})"]]),
           "<h2>Summary of the findings</h2>"]
    for shown in rc.findings:
        f = shown.finding
        out += [f"<h3>{escape(str(f.kind))} {escape(str(f.id))} - score "
                f"{float(f.score):.3f} (run {escape(str(shown.run_id))})</h3>",
                f"<p>{escape(str(f.title))}</p>", waterfall_svg(f.reasons)]
    out += ["<h2>Evidence</h2>", _table(
        ["signal", "evidence", "evidence ref", "source file", "delivery", "legal basis",
         "date"],
        [[e.signal, e.text, e.ref, "; ".join(e.sources) or "-", "; ".join(e.deliveries) or "-",
          "; ".join(e.legal_bases) or "-", e.date or "-"] for e in rc.evidence]),
        "<h2>Network</h2>", network_svg(rc), "<h2>Timeline</h2>",
        _table(["date", "event"], [list(t) for t in rc.timeline]),
        "<h2>Algorithm register cards</h2>"]
    for card in rc.cards:
        tech = card["technical_operation"]
        out += [f"<h3>{escape(card['name'])}</h3><p>{escape(card['short_description'])}</p>",
                _table(["field", "value"],
                       [[k, card[k]] for k in ("purpose_and_impact", "human_intervention",
                                               "risks")]
                       + [["legal basis", "; ".join(card["legal_basis"])],
                          ["version", tech["version"]], ["scoring", tech["scoring"]]]
                       + [[f"signal {x['signal']}", f"{x['weight']}: {x['meaning']}"]
                          for x in tech["signals"]])]
    out.append("<h2>Run metadata (to reproduce the result)</h2>")
    for r in rc.runs:
        out.append(_table(["key", "value"], [[k, v if isinstance(v, str) else
                                              json.dumps(v, sort_keys=True)]
                                             for k, v in r.items()]))
    out += ["<h2>Notes</h2>", _table(["time", "author", "kind", "on", "text"], [
        [n["created_at"], n["author"], n["kind"] if n["kind"] == "note" else
         f"status {n['from_status']} -> {n['to_status']}", n["target"] or "case", n["text"]]
        for n in rc.notes]), "<h2>Audit trail of the case</h2>",
        _table(["time", "user", "role", "action", "outcome", "detail"],
               [[a["time"], a["user"], a["role"], a["action"], a["outcome"], a["detail"]]
                for a in rc.audit]), "</body></html>"]
    return "\n".join(out)
