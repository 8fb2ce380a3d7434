"""The network as a person sees it, in headless Chromium: in three views (a finding's
subgraph, an explorer neighbourhood, a found path) each node is painted in its legend's
colour (read from vis-network's DataSet, its resolved options and the canvas pixel under
the node), colour by risk recolours the nodes, and no node label is an internal id.
Screenshots are saved under each test's tmp folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _open, _search_and_open, _settled, _shot, _trader_name

from graphfraud.explore.labels import INTERNAL_ID
from graphfraud.explore.network import AGGREGATE_COLOUR, LABEL_COLOURS, risk_colour

pytestmark = pytest.mark.browser

# the workbench server, the browser and a page, shared with the other browser tests
ui_url, browser, page = base.ui_url, base.browser, base.page

_READ = """() => {
  const net = window.gfNetwork, ds = window.gfNodes.get();
  const legend = {};
  document.querySelectorAll('.gf-key').forEach(k => legend[k.dataset.key] = k.dataset.colour);
  const canvas = document.querySelector('#gf-network canvas');
  const ctx = canvas.getContext('2d');
  const r = canvas.width / canvas.clientWidth, pos = net.getPositions();
  const hex = d => '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');
  return {legend: legend, colourBy: document.getElementById('gf-network').dataset.colourBy,
    nodes: ds.map(n => {
      const p = net.canvasToDOM(pos[n.id]);
      const inside = p.x > 2 && p.y > 2 && p.x < canvas.clientWidth - 2
                     && p.y < canvas.clientHeight - 2;
      const body = net.body.nodes[n.id];
      const rad = Math.max(1, 0.5 * body.options.size * net.getScale());
      const px = [];  // the centre and 8 points half-way to the rim (a line may cross one)
      if (inside) for (let k = -1; k < 8; k++) {
        const a = k * Math.PI / 4, d = k < 0 ? 0 : rad;
        px.push(hex(ctx.getImageData(Math.round((p.x + d * Math.cos(a)) * r),
                                     Math.round((p.y + d * Math.sin(a)) * r), 1, 1).data));
      }
      return {id: n.id, type: n.gfType, label: n.label, fill: n.gfFill, shape: n.shape,
              hidden: n.gfHidden,
              drawn: body.options.color.background, px: inside ? px : null};
    })};
}"""


def _network(page: Any, index: int = 0) -> dict[str, Any]:
    """What the `index`-th network iframe on the page draws, once its layout froze."""
    frame_el = page.locator("iframe").nth(index)
    frame_el.scroll_into_view_if_needed()
    page.frame_locator("iframe").nth(index).locator(
        "#gf-network[data-frozen='1']").wait_for(state="attached", timeout=20_000)
    page.wait_for_timeout(400)  # the frozen frame is painted
    frame = frame_el.element_handle().content_frame()
    return frame.evaluate(_READ)


def _close(a: str, b: str, tol: int = 6) -> bool:
    return all(abs(int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) <= tol for i in (1, 3, 5))


def _assert_legend_colours(view: dict[str, Any], name: str) -> None:
    real = [n for n in view["nodes"] if n["type"] != "aggregate"]
    assert len(real) >= 2, f"{name}: too few nodes drawn: {real}"
    types = {n["type"] for n in real}
    assert set(view["legend"]) == types, f"{name}: legend {view['legend']} vs types {types}"
    for n in real:
        want = view["legend"][n["type"]]
        assert want == LABEL_COLOURS[n["type"]]
        assert n["fill"] == want and n["drawn"] == want, (name, n)
    painted = {t: [n for n in real if n["type"] == t and n["px"]] for t in types}
    for t, ns in painted.items():  # the pixel under at least one node of each type
        assert any(_close(c, view["legend"][t]) for n in ns for c in n["px"]), (name, t, [(n["label"], n["px"]) for n in ns[:3]], [(n["type"], n["px"]) for n in real])


def _assert_names(view: dict[str, Any], name: str) -> None:
    bad = [n["label"] for n in view["nodes"]
           if n["type"] != "aggregate" and INTERNAL_ID.search(str(n["label"]))]
    assert bad == [], f"{name}: labels that are ids: {bad}"


def test_three_views_paint_each_type_in_its_legend_colour(
        ui_url: str, ui_world: dict[str, Any], page: Any, tmp_path: Path) -> None:
    _open(page, ui_url, "findings")
    page.get_by_text("Subgraph", exact=True).wait_for()
    finding = _network(page)
    _assert_legend_colours(finding, "finding subgraph")
    _assert_names(finding, "finding subgraph")
    _shot(page, tmp_path, "finding-subgraph")

    _search_and_open(page, ui_url, _trader_name(ui_world))
    hood = _network(page)
    _assert_legend_colours(hood, "neighbourhood")
    _assert_names(hood, "neighbourhood")
    assert any(n["label"] == _trader_name(ui_world) for n in hood["nodes"])
    _shot(page, tmp_path, "explorer-network")

    page.get_by_role("button", name="Shortest path").click()
    page.get_by_text("Shortest path:", exact=False).wait_for()
    _settled(page)
    path = _network(page, 1)
    _assert_legend_colours(path, "path")
    _assert_names(path, "path")
    _shot(page, tmp_path, "explorer-path")


def test_colour_by_risk_recolours_the_nodes(ui_url: str, ui_world: dict[str, Any],
                                            page: Any, tmp_path: Path) -> None:
    _search_and_open(page, ui_url, _trader_name(ui_world))
    by_type = {n["id"]: n for n in _network(page)["nodes"]}
    page.get_by_text("risk", exact=True).click()
    _settled(page)
    page.wait_for_function("() => true")
    view = _network(page)
    assert view["colourBy"] == "risk"
    by_risk = {n["id"]: n for n in view["nodes"] if n["type"] != "aggregate"}
    assert set(by_risk) <= set(by_type)
    none = risk_colour(None)
    risky = [n for n in by_risk.values() if n["fill"] != none]
    assert risky, "the trader behind a finding is not coloured by its score"
    changed = [i for i, n in by_risk.items() if n["drawn"] != by_type[i]["drawn"]]
    assert len(changed) >= len(by_risk) // 2, "colour by risk left the node colours as they were"
    for n in risky:
        assert n["drawn"] == n["fill"] and n["fill"] != LABEL_COLOURS[n["type"]]
    assert set(view["legend"].values()) >= {none}
    _shot(page, tmp_path, "explorer-risk")


def test_aggregate_boxes_count_only_what_is_not_drawn(ui_url: str, ui_world: dict[str, Any],
                                                      page: Any, tmp_path: Path) -> None:
    _open(page, ui_url, "explorer")
    box = page.get_by_label("Search: name, KvK, excise number, address, postcode, plate, "
                            "phone")
    page.get_by_label("Purpose or case reference (recorded with what you open)").fill(
        "ZAAK-2023-17")
    box.fill(_trader_name(ui_world))
    box.press("Enter")
    page.get_by_role("button", name="Open neighbourhood").wait_for()
    _settled(page)
    cap = page.get_by_label("Node cap")
    cap.fill("10")
    cap.press("Enter")
    _settled(page)
    page.get_by_role("button", name="Open neighbourhood").click()
    page.get_by_text("Network:", exact=False).first.wait_for()
    _settled(page)
    warning = page.get_by_text("Supernode guard:", exact=False).first
    warning.wait_for()
    _settled(page)
    counted = {}
    for part in warning.inner_text().split("counted by type:")[1].split(","):
        label, count = part.strip().rsplit(" ", 1)
        counted[label] = int(count.replace(",", ""))
    view = _network(page)
    real = [n for n in view["nodes"] if n["type"] != "aggregate"]
    boxes = [n for n in view["nodes"] if n["type"] == "aggregate"]
    assert len(real) <= 10 and boxes, view["nodes"]
    centre = next(n for n in real if n["label"] == _trader_name(ui_world))
    for b in boxes:
        text, label = b["label"].split(" ", 1)
        drawn = sum(1 for n in real if n["type"] == label and n["id"] != centre["id"])
        assert int(text.lstrip("+").replace(",", "")) == b["hidden"] == counted[label] - drawn
        assert b["shape"] == "box" and b["fill"] == b["drawn"] == AGGREGATE_COLOUR
    assert AGGREGATE_COLOUR not in view["legend"].values()
    _shot(page, tmp_path, "explorer-aggregate")
