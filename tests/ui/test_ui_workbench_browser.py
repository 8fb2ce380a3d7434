"""The timeline, search, Cypher console and admin page in headless Chromium, as each role
sees them: the retail checks painted on the time axis in the legend's colour, a
suggestion picked while typing, a hit clicked open, a heavy query cancelled, the audit
chain verified; nothing fetched from outside. Screenshots under each test's tmp folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _open, _settled, _shot, block_outside
from test_ui_timeline_search import _busiest_outlet

from graphfraud.explore.network import LABEL_COLOURS

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page
HEAVY = ("MATCH (a:Trader), (b:Trader), (c:Address), (d:Address) WHERE a.name < b.name "
         "AND b.name < c.city AND c.city < d.city RETURN count(*) AS n")


def _near(png: bytes, hex_colour: str, tol: int = 12) -> int:
    """How many pixels of a screenshot are within `tol` of a colour."""
    from PIL import Image

    want = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    img = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for px in img.getdata() if all(abs(a - b) <= tol for a, b in zip(
        px, want, strict=True)))


def _search(page: Any, text: str) -> None:
    box = page.get_by_label("Search: name, KvK, excise number, address", exact=False)
    box.fill(text)
    box.press("Enter")
    _settled(page)


def timeline_chart(page: Any, ui_url: str, outlet: str, tmp_path: Path) -> tuple[str, bytes]:
    """Open `outlet`'s neighbourhood and its Timeline tab: (the summary line, the chart's
    screenshot); screenshots saved under `tmp_path`."""
    _open(page, ui_url, "explorer")
    page.get_by_label("Purpose or case reference", exact=False).fill("ZAAK-2023-17")
    _search(page, outlet.split(":")[1])
    page.get_by_role("button", name="Open neighbourhood").click()
    page.get_by_text("Network:", exact=False).first.wait_for()
    _settled(page)
    page.get_by_role("tab", name="Timeline").click()
    page.get_by_text("dated events", exact=False).first.wait_for()
    summary = page.locator("[data-testid='stMarkdownContainer']").filter(
        has_text="dated events").first.inner_text()
    chart = page.locator("[data-testid='stVegaLiteChart']").filter(
        has=page.locator("canvas, svg")).last
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    png = chart.screenshot()
    _shot(page, tmp_path, "explorer-timeline")
    (tmp_path / "explorer-timeline-chart.png").write_bytes(png)
    return summary, png


def test_timeline_paints_every_check_on_the_time_axis(ui_url: str, ui_world: dict[str, Any],
                                                      page: Any, tmp_path: Path) -> None:
    blocked = block_outside(page)
    outlet, dates = _busiest_outlet(ui_world["data"])
    summary, png = timeline_chart(page, ui_url, outlet, tmp_path)
    assert f"{len(dates)} retail check" in summary, summary
    # each check is a tick of 4 × 22 pixels in the legend's RetailCheck colour (checks
    # days apart share pixels on a scale of years)
    assert _near(png, LABEL_COLOURS["RetailCheck"]) > 60, "no check marks painted"
    assert page.get_by_text("Time range (filters the network)").is_visible()
    assert blocked == [], blocked


def test_suggestion_while_typing_then_click_a_hit_open(ui_url: str, ui_world: dict[str, Any],
                                                      page: Any, tmp_path: Path) -> None:
    blocked = block_outside(page)
    with (ui_world["data"] / "traders.csv").open(encoding="utf-8") as fh:
        t = next(r for r in csv.DictReader(fh) if r["country"] == "NL" and r["street"])
    _open(page, ui_url, "explorer")
    page.get_by_label("Purpose or case reference", exact=False).fill("ZAAK-2023-17")
    field = page.get_by_placeholder("e.g. Groothandel", exact=False)
    field.click()
    field.press_sequentially(t["street"][:6], delay=80)
    wanted = f"{t['street']} {t['house_number']} {t['city']}"
    option = page.get_by_role("button", name=wanted, exact=True).first
    option.wait_for()
    assert page.locator("iframe").count() == 0  # suggestions draw no iframe of their own
    _shot(page, tmp_path, "explorer-suggestions")
    option.click()
    _settled(page)
    hit = page.get_by_role("button", name=f"Address: {t['street']}", exact=False).first
    hit.wait_for()
    from graphfraud.resolve.normalize import address_key
    from graphfraud.ui.views.search_panel import badge

    key = address_key(t["postcode"], t["house_number"])
    scores = [f["score"] for f in ui_world["doc"]["findings"]
              if key in f["subjects"]["addresses"]]
    assert hit.inner_text().startswith(badge(max(scores) if scores else None)), \
        (hit.inner_text(), scores)
    _shot(page, tmp_path, "explorer-search")
    hit.click()
    page.get_by_text("Network:", exact=False).first.wait_for()
    _settled(page)
    assert blocked == [], blocked


def test_heavy_query_is_cancelled_and_errors_are_plain(ui_url: str, page: Any,
                                                       tmp_path: Path) -> None:
    _open(page, ui_url, "cypher", role="analyst")
    page.get_by_role("tab", name="Free Cypher").click()
    editor = page.get_by_label("Cypher (read-only)")
    editor.fill("MATCH (n:Trader)\nRETURN nosuchfn(n.name)")
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("line 2, column 8", exact=False).first.wait_for()
    _shot(page, tmp_path, "cypher-error")
    editor.fill(HEAVY)
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("Running the query for", exact=False).first.wait_for()
    _shot(page, tmp_path, "cypher-running")
    page.get_by_role("button", name="Cancel the query").click()
    page.get_by_text("Query cancelled:", exact=False).first.wait_for()
    _settled(page)
    assert not page.get_by_role("button", name="Cancel the query").count()


def test_admin_verifies_the_chain_and_sees_users(ui_url: str, page: Any,
                                                 tmp_path: Path) -> None:
    base._login(page, ui_url, "admin")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Admin", exact=True).click()
    page.get_by_text("GraphFraud — Admin", exact=True).wait_for()
    _settled(page)
    page.get_by_role("button", name="Verify the chain").click()
    page.get_by_text("Chain intact:", exact=False).first.wait_for()
    _settled(page)
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.wait_for_timeout(1000)  # the grid paints after it shows
    _shot(page, tmp_path, "admin-audit")
    page.get_by_role("tab", name="Users").click()
    page.get_by_text("Add a user").wait_for()
    _shot(page, tmp_path, "admin-users")
