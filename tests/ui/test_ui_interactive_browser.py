"""The explorer's interactive network (the `ui/components/network` component), in headless
Chromium: double-click expands a node and the nodes drawn before keep their positions
(within a few pixels) while the new ones appear near it; the node menu hides a node and
sets path ends, and the path found is drawn in red in the main network; the component's
files come from the workbench itself (every request goes to 127.0.0.1).
Screenshots are saved under each test's tmp folder."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _search_and_open, _settled, _shot, _trader_name, block_outside

from graphfraud.explore.network import PATH_COLOUR

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page

_STATE = """() => {
  const net = window.gfNetwork, pos = net.getPositions();
  return {frozen: document.getElementById('gf-network').dataset.frozen,
    nodes: window.gfNodes.get().map(n => ({id: String(n.id), type: n.gfType, label: n.label,
      hidden: !!n.hidden, x: pos[n.id] && pos[n.id].x, y: pos[n.id] && pos[n.id].y,
      dom: pos[n.id] && net.canvasToDOM(pos[n.id])})),
    edges: window.gfEdges.get().map(e => ({id: String(e.id), from: String(e.from),
      to: String(e.to), path: !!e.gfPath, colour: e.color && e.color.color}))};
}"""


def _frame(page: Any) -> Any:
    el = page.locator("iframe").first
    el.scroll_into_view_if_needed()
    page.frame_locator("iframe").first.locator("#gf-network[data-frozen='1']").wait_for(
        state="attached", timeout=30_000)
    return el.element_handle().content_frame()


def _state(page: Any) -> dict[str, Any]:
    frame = _frame(page)
    page.wait_for_timeout(300)
    return frame.evaluate(_STATE)


def _at(page: Any, node: dict[str, Any]) -> tuple[float, float]:
    """The node's place on the page (the iframe's box plus the node's place in it)."""
    frame = _frame(page)
    box = page.locator("iframe").first.bounding_box()
    canvas = frame.evaluate("() => { const r = document.querySelector('#gf-network canvas')"
                            ".getBoundingClientRect(); return {x: r.left, y: r.top}; }")
    return box["x"] + canvas["x"] + node["dom"]["x"], box["y"] + canvas["y"] + node["dom"]["y"]


def _wait_for(page: Any, test: Any, what: str, seconds: float = 40) -> dict[str, Any]:
    for _ in range(int(seconds * 2)):
        _settled(page)
        state = _state(page)
        if state["frozen"] == "1" and test(state):
            return state
        page.wait_for_timeout(500)
    raise AssertionError(f"timed out waiting for {what}")


def _visible(page: Any, state: dict[str, Any], types: tuple[str, ...]) -> list[dict[str, Any]]:
    """Nodes of `types` whose centre is well inside the drawn canvas, away from others."""
    frame = _frame(page)
    w, h = frame.evaluate("() => { const c = document.querySelector('#gf-network canvas');"
                          " return [c.clientWidth, c.clientHeight]; }")
    out = []
    for n in state["nodes"]:
        d = n["dom"]
        if n["type"] not in types or not d or not (30 < d["x"] < w - 30 and 30 < d["y"] < h - 30):
            continue
        near = min((math.dist((d["x"], d["y"]), (m["dom"]["x"], m["dom"]["y"]))
                    for m in state["nodes"] if m["id"] != n["id"] and m["dom"]), default=99)
        if near > 14:
            out.append(n)
    return out


def test_double_click_expands_and_earlier_nodes_keep_their_places(
        ui_url: str, ui_world: dict[str, Any], page: Any, tmp_path: Path) -> None:
    blocked = block_outside(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    _search_and_open(page, ui_url, _trader_name(ui_world))
    before = _state(page)
    _shot(page, tmp_path, "before-expand")
    old = {n["id"]: n for n in before["nodes"]}
    tried = []
    for target in _visible(page, before, ("Movement", "Person", "Address", "Phone"))[:6]:
        x, y = _at(page, target)
        page.mouse.dblclick(x, y)
        try:
            after = _wait_for(page, lambda s: len(s["nodes"]) > len(old),
                              "the expansion", seconds=20)
        except AssertionError:
            tried.append(target["label"])
            continue
        break
    else:
        raise AssertionError(f"no double-click added a node (tried {tried})")
    _shot(page, tmp_path, "after-expand")
    moved = {i: math.dist((n["x"], n["y"]), (old[i]["x"], old[i]["y"]))
             for i, n in ((n["id"], n) for n in after["nodes"]) if i in old}
    assert len(moved) == len(old), "nodes drawn before the expansion went away"
    worst = max(moved.values())
    assert worst <= 3.0, f"earlier nodes moved by up to {worst:.1f} px: " + str(
        sorted(moved.items(), key=lambda kv: -kv[1])[:5])
    new = [n for n in after["nodes"] if n["id"] not in old]
    print(f"expand: {len(old)} nodes before, {len(new)} new; earlier nodes moved at most "
          f"{worst:.2f} px")
    parent = next(n for n in after["nodes"] if n["id"] == target["id"])
    spread = max(math.dist((o["x"], o["y"]), (parent["x"], parent["y"]))
                 for o in before["nodes"])
    for n in new:  # the new nodes appear near the node they hang from, not anywhere
        assert math.dist((n["x"], n["y"]), (parent["x"], parent["y"])) <= spread + 150, n
    hosts = {u.split("/")[2] for u in requested if u.startswith("http")}
    assert hosts <= {ui_url.split("/")[2]}, hosts
    assert any("/component/" in u and u.endswith("vis-network.min.js") for u in requested)
    assert blocked == []


def _chosen(page: Any, box: str, label: str) -> None:
    """Wait until the page's `box` selectbox shows `label` (set from the node menu)."""
    text = label.rstrip("…")[:20]
    shown = ""
    for _ in range(60):
        _settled(page)
        shown = page.evaluate("""box => { for (const el of document.querySelectorAll(
            "[data-testid='stSelectbox']")) { if (el.innerText.trim().startsWith(box)) {
              const i = el.querySelector('input');
              return el.innerText + ' ' + (i ? (i.value || i.placeholder || '') : ''); } }
            return ''; }""", box)
        if text in shown:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"the {box} box shows {shown!r}, not {label!r}")


def node_menu(page: Any, frame: Any, node: dict[str, Any], choice: str) -> None:
    """Right-click `node` and pick `choice` from its menu."""
    x, y = _at(page, node)
    page.mouse.click(x, y, button="right")
    frame.get_by_role("menuitem", name=choice, exact=True).click()


def find_path(page: Any, tmp_path: Path) -> None:
    """Press "Shortest path" until the page says the path is drawn in the network."""
    found = page.get_by_text("drawn in red in the network", exact=False)
    for _ in range(3):  # a click that lands while a rerun is being replaced can be lost
        _settled(page)
        page.get_by_role("button", name="Shortest path").click()
        try:
            found.wait_for(timeout=15_000)
            break
        except Exception:  # noqa: BLE001 - try the click once more
            _shot(page, tmp_path, "path-not-yet")
    found.wait_for(timeout=5_000)


def trader_view(page: Any, ui_url: str, ui_world: dict[str, Any]) -> tuple[Any, ...]:
    """The sample finding's trader opened in the explorer: (its name, the network's
    state, its node, a function that picks a menu item on a node)."""
    name = _trader_name(ui_world)
    _search_and_open(page, ui_url, name)
    state = _state(page)
    frame = _frame(page)

    def menu(node: dict[str, Any], choice: str) -> None:
        node_menu(page, frame, node, choice)

    return name, state, next(n for n in state["nodes"] if n["label"] == name), menu


def test_node_menu_hides_and_sets_a_path_drawn_in_place(
        ui_url: str, ui_world: dict[str, Any], page: Any, tmp_path: Path) -> None:
    name, state, trader, menu = trader_view(page, ui_url, ui_world)
    frame = _frame(page)
    items = frame.evaluate("id => { window.gfMenu(id, {x: 10, y: 10}); return "
                           "[...document.querySelectorAll('#gf-menu button')].map(b => "
                           "b.textContent); }", trader["id"])
    for want in ("Expand", "Hide", "Pin", "Set as path start", "Set as path end",
                 "Open details"):
        assert want in items, items
    # "Expand by" lists the trader's own relationship types with their counts, read from
    # the graph (not every type the model allows for a trader)
    from graphfraud.explore.neighbourhood import rel_type_counts, rel_types_of
    from graphfraud.store import open_store

    with open_store(ui_world["settings"], "embedded") as st:
        own = rel_type_counts(st, [trader["id"]])[trader["id"]]
    assert sorted(i for i in items if i.startswith("Expand by ")) == sorted(
        f"Expand by {t} ({n})" for t, n in own)
    assert "REGISTERED_AT" in {t for t, _n in own}
    assert {t for t, _n in own} < set(rel_types_of("Trader"))  # fewer than the model's
    _shot(page, tmp_path, "node-menu")
    frame.evaluate("() => { document.getElementById('gf-menu').style.display = 'none'; }")

    victim = next(n for n in _visible(page, state, ("Licence", "Phone", "Email", "Movement")))
    menu(victim, "Hide")
    state = _wait_for(page, lambda s: victim["id"] not in {n["id"] for n in s["nodes"]},
                      "the node to be hidden")
    page.get_by_text("1 hidden", exact=False).first.wait_for()

    far = next(n for n in _visible(page, state, ("Address", "Person", "Premise"))
               if n["id"] != trader["id"])
    menu(far, "Set as path start")
    _chosen(page, "From", far["label"])
    state = _state(page)
    menu(next(n for n in state["nodes"] if n["id"] == trader["id"]), "Set as path end")
    _chosen(page, "To", name)
    find_path(page, tmp_path)
    state = _wait_for(page, lambda s: any(e["path"] for e in s["edges"]), "the path")
    on_path = [e for e in state["edges"] if e["path"]]
    assert all(e["colour"] == PATH_COLOUR for e in on_path)
    assert {far["id"], trader["id"]} <= {e["from"] for e in on_path} | {e["to"]
                                                                      for e in on_path}
    page.mouse.move(5, 5)  # no hover highlight on the picture
    page.wait_for_timeout(300)
    painted = _frame(page).evaluate(_EDGE_PIXELS, [[e["from"], e["to"]] for e in on_path])
    red = [c for c in painted if abs(int(c[1:3], 16) - int(PATH_COLOUR[1:3], 16)) < 30
           and abs(int(c[3:5], 16) - int(PATH_COLOUR[3:5], 16)) < 30]
    assert red, f"no path edge is painted red in the main network: {painted}"
    page.locator("iframe").first.scroll_into_view_if_needed()
    _shot(page, tmp_path, "path-in-place")


_EDGE_PIXELS = """pairs => {
  const net = window.gfNetwork, pos = net.getPositions();
  const c = document.querySelector('#gf-network canvas'), ctx = c.getContext('2d');
  const r = c.width / c.clientWidth, out = [];
  const hex = d => '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');
  pairs.forEach(([a, b]) => {
    const p = net.canvasToDOM(pos[a]), q = net.canvasToDOM(pos[b]);
    for (let t = 0.3; t <= 0.71; t += 0.1) {
      const x = p.x + t * (q.x - p.x), y = p.y + t * (q.y - p.y);
      out.push(hex(ctx.getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data));
    }
  });
  return out;
}"""
