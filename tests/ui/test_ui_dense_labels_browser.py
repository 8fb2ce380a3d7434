"""Labels around a busy trader in headless Chromium: a trader that sent 38 movements is
drawn with its movements unlabelled (names on hover) and the labels that are drawn hardly
overlap; read from vis-network's label boxes. Screenshot under the test's tmp folder."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _search_and_open, _shot
from test_ui_interactive_browser import _frame, _state

from graphfraud.explore.network import DENSE_LABELS

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page

_LABELS = """() => {
  const net = window.gfNetwork, out = [];
  window.gfNodes.get().forEach(n => {
    const b = net.body.nodes[n.id];
    if (!n.label || !b || !b.labelModule || !b.labelModule.size) return;
    const s = b.labelModule.size;
    out.push({id: String(n.id), type: n.gfType, x: s.left, y: s.top, w: s.width,
              h: s.height});
  });
  return out;
}"""


def _busiest_dutch_consignor(data: Path) -> tuple[str, int]:
    with (data / "movements.csv").open(encoding="utf-8") as fh:
        arcs = {r["arc"]: r["consignor_excise_number"] for r in csv.DictReader(fh)}
    excise, n = Counter(v for v in arcs.values() if v.startswith("NL")).most_common(1)[0]
    return excise, n


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


def test_a_busy_traders_movements_are_not_a_ring_of_labels(
        ui_url: str, ui_world: dict[str, Any], page: Any, tmp_path: Path) -> None:
    excise, n = _busiest_dutch_consignor(ui_world["data"])
    assert n > DENSE_LABELS, (excise, n)
    _search_and_open(page, ui_url, excise)
    state = _state(page)
    movements = [x for x in state["nodes"] if x["type"] == "Movement"]
    assert len(movements) > DENSE_LABELS, len(movements)
    assert all(m["label"] == "" for m in movements), [m["label"] for m in movements][:5]
    page.get_by_text("drawn without labels (too many to read)", exact=False).first.wait_for()
    boxes = _frame(page).evaluate(_LABELS)
    assert boxes, "no label drawn at all"
    area = sum(b["w"] * b["h"] for b in boxes)
    shared = sum(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert shared <= 0.05 * area, f"labels overlap: {shared:.0f} of {area:.0f} px²"
    page.locator("iframe").first.scroll_into_view_if_needed()
    _shot(page, tmp_path, "dense-movements")
