"""The managers' map in headless Chromium: the municipality shapes shipped with the package
arrive from the workbench itself (every request goes to 127.0.0.1, the rest is blocked and
must stay empty) and are painted as a choropleth: shapes without data in grey, shapes with
an EPS share in the scheme's colours, over most of the chart. Screenshot under tmp."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _open, _settled, _shot, block_outside

pytestmark = pytest.mark.browser

# the workbench server, the browser and a page, shared with the other browser tests
ui_url, browser, page = base.ui_url, base.browser, base.page


def _pixels(png: bytes) -> tuple[int, int, int]:
    """(all pixels, grey shape pixels, coloured pixels) of a chart screenshot."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    grey = coloured = 0
    raw = img.tobytes()
    for i in range(0, len(raw), 3):
        r, g, b = raw[i], raw[i + 1], raw[i + 2]
        if abs(r - 0xEE) <= 3 and abs(g - 0xEE) <= 3 and abs(b - 0xEE) <= 3:
            grey += 1
        elif r > 150 and r - b > 60:  # the orange-red scheme
            coloured += 1
    return img.width * img.height, grey, coloured


def test_map_draws_municipality_shapes_offline(ui_url: str, page: Any,
                                               tmp_path: Path) -> None:
    blocked = block_outside(page)
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(
        p.decode("utf-8", "replace") if isinstance(p, bytes) else str(p))))
    _open(page, ui_url, "maps", role="manager")
    page.get_by_text("EPS share", exact=False).first.wait_for()
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    chart.locator("canvas, svg").first.wait_for()
    _settled(page)
    page.wait_for_timeout(1500)  # vega draws after the element shows
    total, grey, coloured = _pixels(chart.screenshot())
    page.screenshot(path=str(tmp_path / "maps-choropleth.png"))
    _shot(page, tmp_path, "maps-choropleth-view")
    blob = "".join(frames)
    assert "GM0363" in blob and "GM0935" in blob  # Amsterdam's and Maastricht's shapes
    assert grey > 0.02 * total, f"no grey (no-data) municipality shapes: {grey}/{total}"
    assert coloured > 0.01 * total, f"no coloured municipality shapes: {coloured}/{total}"
    assert grey + coloured > 0.12 * total  # shapes fill the map, not a few dots
    assert page.get_by_text("Kind of finding", exact=False).count() == 1
    assert not page.get_by_text("Traceback", exact=False).count()
    assert blocked == [], f"the map tried to reach outside: {blocked}"
