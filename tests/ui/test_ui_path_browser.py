"""The path found is drawn in place in headless Chromium even where its middle node was
not drawn: the trader between a director and an address is hidden, the path between
them brings it back, and every edge of the path is painted red in the main network.
Screenshots under the test's tmp folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _shot
from test_ui_interactive_browser import (
    _EDGE_PIXELS,
    _chosen,
    _frame,
    _state,
    _wait_for,
    find_path,
    trader_view,
)

from graphfraud.explore.network import PATH_COLOUR

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page


def test_a_path_through_a_hidden_node_draws_it_again_in_red(
        ui_url: str, ui_world: dict[str, Any], page: Any, tmp_path: Path) -> None:
    _name, state, trader, menu = trader_view(page, ui_url, ui_world)
    ends = [n for n in state["nodes"] if n["type"] in ("Person", "Address")][:2]
    assert len(ends) == 2, state["nodes"]
    menu(ends[0], "Set as path start")
    _chosen(page, "From", ends[0]["label"])
    menu(next(n for n in _state(page)["nodes"] if n["id"] == ends[1]["id"]),
         "Set as path end")
    _chosen(page, "To", ends[1]["label"])
    menu(next(n for n in _state(page)["nodes"] if n["id"] == trader["id"]), "Hide")
    state = _wait_for(page, lambda s: trader["id"] not in {n["id"] for n in s["nodes"]},
                      "the trader to be hidden")
    _shot(page, tmp_path, "middle-hidden")
    find_path(page, tmp_path)
    state = _wait_for(page, lambda s: trader["id"] in {n["id"] for n in s["nodes"]
                                                         if not n["hidden"]},
                      "the path's middle node drawn again")
    on_path = [e for e in state["edges"] if e["path"]]
    touched = {e["from"] for e in on_path} | {e["to"] for e in on_path}
    assert {ends[0]["id"], ends[1]["id"], trader["id"]} <= touched, on_path
    assert all(e["colour"] == PATH_COLOUR for e in on_path)
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)
    painted = _frame(page).evaluate(_EDGE_PIXELS, [[e["from"], e["to"]] for e in on_path])
    per_edge = [painted[i:i + 5] for i in range(0, len(painted), 5)]
    for e, px in zip(on_path, per_edge, strict=True):  # each path edge painted red
        assert any(abs(int(c[1:3], 16) - int(PATH_COLOUR[1:3], 16)) < 30
                   and abs(int(c[3:5], 16) - int(PATH_COLOUR[3:5], 16)) < 30 for c in px), (
            e, px)
    # a crowded view draws no edge labels, also on edges drawn with one in a sparser
    # view before (vis-network kept those when an update cleared them)
    assert len(state["edges"]) > 40, len(state["edges"])
    drawn = _frame(page).evaluate(
        "() => Object.values(window.gfNetwork.body.edges)"
        ".filter(e => e.options.label).map(e => e.options.label)")
    assert drawn == [], drawn
    page.locator("iframe").first.scroll_into_view_if_needed()
    _shot(page, tmp_path, "path-through-hidden")
