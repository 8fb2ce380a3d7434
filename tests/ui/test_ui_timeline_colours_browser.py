"""The timeline's colours as a person sees them, in headless Chromium: each row's ticks
and bars are painted in the legend's colour of the type its events belong to (a role is
the person's: one red row, not a Trader tick on a mauve blend of two pale bars), and the
legend's swatches are those colours, in the legend's order. Read from the pixels of the
chart's screenshot (saved under the test's tmp folder)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import block_outside
from test_ui_timeline_search import _busiest_outlet
from test_ui_workbench_browser import timeline_chart

from graphfraud.explore.network import LABEL_COLOURS
from graphfraud.explore.timeline import EVENT_DATES, OWN_DATES, REL_DATES, REL_SUBJECT
from graphfraud.model.schema import REL_TYPES

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page


def event_labels() -> dict[str, str]:
    """Timeline row (event name) -> the type whose colour its marks must have."""
    out = {meaning: label for label, dates in {**EVENT_DATES, **OWN_DATES}.items()
           for _p, meaning in dates}
    ends = {r.type: (r.start, r.end) for r in REL_TYPES}
    for rel, dates in REL_DATES.items():
        start, end = ends[rel]
        for _p, meaning in dates:
            out[meaning] = start if REL_SUBJECT.get(rel, "_end") == "_start" else end
    return out


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _saturated(px: tuple[int, int, int]) -> bool:
    return max(px) - min(px) > 40  # not white, grey gridlines or black text


def _nearest(px: tuple[int, int, int], palette: dict[str, tuple[int, int, int]]
             ) -> str | None:
    """The type colour `px` is, painted over the white background at some coverage (an
    anti-aliased edge is the colour thinned with white; a blend of two types' colours,
    as two pale bars drawn over each other, is no type's colour)."""
    best, err = None, 0.1
    for name, c in palette.items():
        alphas = [(255 - p) / (255 - v) for p, v in zip(px, c, strict=True) if 255 - v > 30]
        flat = all(p >= v - 20 for p, v in zip(px, c, strict=True) if 255 - v <= 30)
        if not alphas or not flat or min(alphas) < 0.25 or max(alphas) > 1.1:
            continue
        spread = max(alphas) - min(alphas)
        if spread < err:
            best, err = name, spread
    return best


def _runs(flags: list[bool], gap: int) -> list[tuple[int, int]]:
    """Index runs where `flags` is true, runs closer than `gap` merged."""
    out: list[tuple[int, int]] = []
    for i, f in enumerate(flags):
        if not f:
            continue
        if out and i - out[-1][1] <= gap:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def painted(png: bytes) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """(per plot row top to bottom, per legend swatch top to bottom): how many pixels of
    each colour on the band's middle lines ('?' for saturated pixels of no type's
    colour, such as a blend of two pale bars)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = img.size
    px = img.load()
    sat = [[_saturated(px[x, y]) for x in range(w)] for y in range(h)]
    cols = _runs([any(sat[y][x] for y in range(h)) for x in range(w)], gap=12)
    assert len(cols) >= 2, f"no plot and legend told apart: {cols}"
    palette = {lb: _rgb(c) for lb, c in LABEL_COLOURS.items()}

    def count(x0: int, x1: int) -> list[dict[str, int]]:
        bands = _runs([any(sat[y][x] for x in range(x0, x1 + 1)) for y in range(h)], gap=2)
        out = []
        for y0, y1 in bands:
            c: dict[str, int] = {}
            mid = (y0 + y1) // 2  # the band's middle lines: through the bar's body and
            for y in range(mid - 1, mid + 2):  # the ticks, not their anti-aliased edges
                for x in range(x0, x1 + 1):
                    if sat[y][x]:
                        name = _nearest(px[x, y], palette) or "?"
                        c[name] = c.get(name, 0) + 1
            out.append(c)
        return out

    legend = cols[-1]
    return count(cols[0][0], cols[-2][1]), count(legend[0], legend[1])


def test_every_row_and_swatch_in_its_types_colour(ui_url: str, ui_world: dict[str, Any],
                                                  page: Any, tmp_path: Path) -> None:
    blocked = block_outside(page)
    outlet, _dates = _busiest_outlet(ui_world["data"])
    summary, png = timeline_chart(page, ui_url, outlet, tmp_path)
    rows = sorted(re.findall(r"\d+ ([a-z: ]+?)(?:,|$)", summary.split(": ", 1)[1]))
    want = event_labels()
    assert "role since" in rows and "retail check" in rows, rows  # a person and checks
    plot, legend = painted(png)
    assert len(plot) == len(rows), (rows, plot)
    for row, colours in zip(rows, plot, strict=True):
        total = sum(colours.values())
        mine = colours.get(want[row], 0)
        # anti-aliased edges aside, every saturated pixel of the row is its type's colour
        assert mine >= 0.9 * total, (row, want[row], colours)
    labels = sorted({want[r] for r in rows})
    swatches = [max(c, key=c.get) for c in legend]
    assert swatches == labels, (swatches, labels, legend)
    assert blocked == [], blocked
