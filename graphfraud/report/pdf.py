"""The case report as PDF, drawn with reportlab (pure Python, no system libraries).

The Vera TrueType fonts that ship with reportlab are embedded (subset), so the file
shows the same everywhere and needs nothing from the network. `invariant` mode fixes
the document id and dates reportlab would otherwise draw from the clock: the same
content gives the same bytes."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from graphfraud.detect.records import Reason
from graphfraud.report.content import ReportContent

FONT, BOLD = "GFVera", "GFVeraBd"
WIDTH = A4[0] - 36 * mm


def _fonts() -> None:
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {"body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
            "tiny": ParagraphStyle("tiny", parent=base, fontSize=6.5, leading=8),
            "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=18, leading=22,
                                 spaceAfter=8),
            "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=12.5, leading=15,
                                 spaceBefore=8, spaceAfter=5),
            "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=10, leading=12,
                                 spaceBefore=5, spaceAfter=3),
            "stamp": ParagraphStyle("stamp", parent=base, fontName=BOLD, fontSize=14,
                                    textColor=colors.HexColor("#b00020"), leading=18)}


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows: list[list[object]], widths: list[float], st: ParagraphStyle) -> Table:
    t = Table([[_p(c, st) for c in r] for r in rows], colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def waterfall(reasons: Sequence[Reason], width: float = WIDTH) -> Drawing:
    """Each signal's part of the score as a step from the part before it (0 to score)."""
    row, left = 15, 190
    d = Drawing(width, row * len(reasons) + 22)
    scale = width - left - 50
    y, start = d.height - row, 0.0
    for r in reasons:
        part = float(r.part or 0.0)
        d.add(String(0, y + 3, str(r.signal)[:34], fontName=FONT, fontSize=7.5))
        d.add(Rect(left + start * scale, y, max(part * scale, 0.8), row - 4,
                   fillColor=colors.HexColor("#d62728"), strokeColor=None))
        d.add(String(left + (start + part) * scale + 3, y + 3, f"+{part:.3f}",
                     fontName=FONT, fontSize=7))
        start += part
        y -= row
    d.add(Line(left, y + row - 2, left + scale, y + row - 2, strokeWidth=0.5))
    d.add(String(left, y + 2, "0", fontName=FONT, fontSize=7))
    d.add(String(left + scale - 6, y + 2, "1", fontName=FONT, fontSize=7))
    d.add(String(left + scale / 2 - 15, y + 2, f"score {start:.3f}", fontName=BOLD,
                 fontSize=7))
    return d


def network(rc: ReportContent, width: float = WIDTH, height: float = 300) -> Drawing:
    d = Drawing(width, height + 16 * ((len(rc.legend) + 3) // 4) + 14)
    off = d.height - height
    pad = 18
    at = {n.id: (pad + n.x * (width - 2 * pad), off + pad + n.y * (height - 2 * pad))
          for n in rc.nodes}
    colour = dict(rc.legend)
    d.add(Rect(0, off, width, height, fillColor=None, strokeColor=colors.HexColor("#cccccc")))
    for a, b, _t in rc.edges:
        d.add(Line(*at[a], *at[b], strokeColor=colors.HexColor("#9a9a9a"), strokeWidth=0.5))
    small = len(rc.nodes) <= 60
    for n in rc.nodes:
        x, y = at[n.id]
        d.add(Circle(x, y, 4.5 if small else 2.5, fillColor=colors.HexColor(colour[n.label]),
                     strokeColor=colors.white, strokeWidth=0.5))
        if small:
            d.add(String(x + 5, y + 3, n.caption, fontName=FONT, fontSize=5.5))
    d.add(String(0, off - 11, "Legend", fontName=BOLD, fontSize=8))
    for i, (label, col) in enumerate(rc.legend):
        x, y = 50 + (i % 4) * ((width - 50) / 4), off - 11 - 16 * (i // 4)
        d.add(Rect(x, y - 1, 8, 8, fillColor=colors.HexColor(col), strokeColor=None))
        count = sum(n.label == label for n in rc.nodes)
        d.add(String(x + 11, y, f"{label} ({count})", fontName=FONT, fontSize=7.5))
    return d


def render_pdf(rc: ReportContent) -> bytes:
    """The report's PDF bytes."""
    _fonts()
    s = _styles()
    case = rc.case
    buf = io.BytesIO()

    def frame(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback
        canvas.saveState()
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(colors.HexColor("#b00020"))
        canvas.drawString(18 * mm, A4[1] - 10 * mm, f"{rc.classification.upper()} "
                          f"- {case['reference']}")
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.drawString(18 * mm, 10 * mm, f"printed {rc.printed_at} for {rc.reader} "
                          f"({rc.reader_role})")
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm, invariant=1,
                            title=f"Case report {case['reference']}",
                            author=str(case["owner"]), creator="GraphFraud",
                            subject=rc.classification)
    story: list[object] = [
        Spacer(1, 30 * mm), _p(f"Classification: {rc.classification}", s["stamp"]),
        Spacer(1, 6 * mm), _p(f"Case report {case['reference']}", s["h1"]),
        _p(case["title"], s["h2"]), Spacer(1, 6 * mm),
        _table([["field", "value"], ["reference", case["reference"]],
                ["status", case["status"]], ["author (owner)", case["owner"]],
                ["members", ", ".join(case["members"]) or "-"],
                ["opened", case["created_at"]], ["last change", case["updated_at"]],
                ["date printed", rc.printed_at], ["reader", f"{rc.reader} ({rc.reader_role})"],
                ["findings", str(len(rc.findings))], ["network", f"{len(rc.nodes)} nodes, "
                                                               f"{len(rc.edges)} links"]],
               [45 * mm, WIDTH - 45 * mm], s["body"]),
        Spacer(1, 8 * mm),
        _p("This report holds police data (Wpg). It is for the case team and the public "
           "prosecutor only. A finding is a lead: every score below is explained by its "
           "signals and their evidence, each with its source file and delivery.",
           s["small"]),
        PageBreak(), _p("Summary of the findings", s["h2"])]
    for shown in rc.findings:
        f = shown.finding
        story.append(KeepTogether([
            _p(f"{f.kind} {f.id} - score {float(f.score):.3f} (run {shown.run_id})",
               s["h3"]), _p(f.title, s["body"]), Spacer(1, 2 * mm),
            _p("Score waterfall", s["small"]), waterfall(f.reasons)]))
    story += [_p("Evidence", s["h2"]), _table(
        [["evidence ref", "signal", "source file", "delivery", "legal basis", "date"]]
        + [[e.ref, e.signal, "; ".join(e.sources) or "-", "; ".join(e.deliveries) or "-",
            "; ".join(e.legal_bases) or "-", e.date or "-"] for e in rc.evidence],
        [54 * mm, 34 * mm, 34 * mm, 16 * mm, 18 * mm, WIDTH - 156 * mm], s["tiny"])]
    story += [PageBreak(), _p("Network", s["h2"]), network(rc), Spacer(1, 4 * mm),
              _p("Timeline", s["h2"]),
              _table([["date", "event"]] + [[d, e] for d, e in rc.timeline],
                     [24 * mm, WIDTH - 24 * mm], s["small"])]
    story += [PageBreak(), _p("Algorithm register cards", s["h2"])]
    for c in rc.cards:
        tech = c["technical_operation"]
        story += [_p(c["name"], s["h3"]), _p(c["short_description"], s["small"]),
                  _table([["field", "value"]]
                         + [[k, c[k]] for k in ("purpose_and_impact", "human_intervention",
                                                "risks")]
                         + [["legal basis", "; ".join(c["legal_basis"])],
                            ["version", tech["version"]], ["scoring", tech["scoring"]]]
                         + [[f"signal {x['signal']}", f"{x['weight']}: {x['meaning']}"]
                            for x in tech["signals"]],
                         [40 * mm, WIDTH - 40 * mm], s["small"])]
    story += [_p("Run metadata (to reproduce the result)", s["h2"])]
    for r in rc.runs:
        story.append(_table([["key", "value"]] + [
            [k, v if isinstance(v, str) else json.dumps(v, sort_keys=True)]
            for k, v in r.items()], [40 * mm, WIDTH - 40 * mm], s["small"]))
    story += [_p("Notes", s["h2"]), _table(
        [["time", "author", "kind", "on", "text"]]
        + [[n["created_at"], n["author"], n["kind"] if n["kind"] == "note" else
            f"status {n['from_status']} -> {n['to_status']}", n["target"] or "case", n["text"]]
           for n in rc.notes], [30 * mm, 18 * mm, 34 * mm, 30 * mm, WIDTH - 112 * mm],
        s["small"])]
    story += [_p("Audit trail of the case", s["h2"]), _table(
        [["time", "user", "role", "action", "outcome", "detail"]]
        + [[a["time"], a["user"], a["role"], a["action"], a["outcome"], a["detail"]]
           for a in rc.audit],
        [30 * mm, 16 * mm, 20 * mm, 26 * mm, 14 * mm, WIDTH - 106 * mm], s["small"])]
    doc.build(story, onFirstPage=frame, onLaterPages=frame)
    return buf.getvalue()
