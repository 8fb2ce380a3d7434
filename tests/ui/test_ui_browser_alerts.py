"""In a real browser (Debian's Chromium): the unread count in the navigation and on the
Alerts page drops as an analyst marks one alert read, then all of them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _auth import user_name
from test_ui_browser import _login, _settled, _shot, browser, page, ui_url  # noqa: F401

from graphfraud.security import read_audit
from graphfraud.security.users import User

pytestmark = pytest.mark.browser


def _raise_real_alerts(ui_world: dict[str, Any]) -> int:
    """The analyst watches a finding's trader; the world's delivery brought all its
    links, so checking that delivery raises a `touched` alert per link."""
    from graphfraud.security.session import Session
    from graphfraud.store import open_store

    settings = ui_world["settings"]
    trader = ui_world["doc"]["findings"][1]["subjects"]["traders"][0]
    with open_store(settings, "embedded") as st:
        ana = Session(st, settings, User(user_name("analyst"), "analyst"))
        ana.watch("Trader", trader)
        ana.refresh_alerts(None, "tiny-7")
        return ana.unread_alerts()


def _nav_count(page: Any) -> int:  # noqa: F811
    item = page.locator("[data-testid='stSidebarNav']").get_by_text(
        re.compile(r"^Alerts \(\d+\)$"))
    item.wait_for()
    return int(re.search(r"\((\d+)\)", item.inner_text()).group(1))


def test_the_unread_count_drops_after_marking_read(ui_url: str,  # noqa: F811
                                                   ui_world: dict[str, Any],
                                                   page: Any,  # noqa: F811
                                                   tmp_path: Path) -> None:
    unread = _raise_real_alerts(ui_world)
    assert unread >= 2
    _login(page, ui_url, "analyst")
    assert _nav_count(page) == unread
    page.locator("[data-testid='stSidebarNav']").get_by_text(f"Alerts ({unread})",
                                                             exact=True).click()
    page.get_by_text(f"GraphFraud — Alerts ({unread} unread)", exact=True).wait_for()
    _settled(page)
    _shot(page, tmp_path, "alerts-unread")
    page.get_by_role("button", name="Mark read", exact=True).click()
    page.get_by_text(f"GraphFraud — Alerts ({unread - 1} unread)", exact=True).wait_for()
    _settled(page)
    assert _nav_count(page) == unread - 1
    print("page title:", page.title())
    page.get_by_role("button", name=f"Mark all read ({unread - 1})").click()
    page.get_by_text("GraphFraud — Alerts (0 unread)", exact=True).wait_for()
    _settled(page)
    assert _nav_count(page) == 0
    _shot(page, tmp_path, "alerts-read")
    marks = [r for r in read_audit(Path(ui_world["home"]) / "audit.jsonl")
             if r["action"] == "alerts" and "mark_read" in (r["detail"] or {})
             and r["user"] == user_name("analyst")]
    assert [r["result_size"] for r in marks[-2:]] == [1, unread - 1]
