"""State in the URL, in headless Chromium: a deep link to an entity asks a signed-out
person to sign in (not "Page not found") and then opens the entity; the sign-in survives a
reload (a signed cookie); signing out revokes it, so the same cookie replayed later opens
nothing; a finding has its own link; a role without the right is told so.
Screenshots are saved under each test's tmp folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import test_ui_browser as base
from test_ui_browser import _settled, _shot, _trader_name
from test_ui_browser import _sign_in_on as _sign_in_here

from graphfraud.security.auth import SESSION_COOKIE

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page


def _entity_link(ui_url: str, ui_world: dict[str, Any]) -> str:
    trader = ui_world["doc"]["findings"][0]["subjects"]["traders"][0]
    return f"{ui_url}/explorer?entity={quote('Trader:' + trader)}&case=ZAAK-2023-17"


def _network_names(page: Any) -> list[str]:
    frame = page.frame_locator("iframe").first
    frame.locator("#gf-network[data-frozen='1']").wait_for(state="attached", timeout=30_000)
    handle = page.locator("iframe").first.element_handle().content_frame()
    return handle.evaluate("() => window.gfNodes.get().map(n => n.label)")


def test_deep_link_opens_the_entity_after_sign_in_and_reload(
        ui_url: str, ui_world: dict[str, Any], page: Any, tmp_path: Path) -> None:
    link = _entity_link(ui_url, ui_world)
    name = _trader_name(ui_world)
    page.goto(link, wait_until="domcontentloaded")
    page.get_by_text("Sign in in the sidebar to open Explorer", exact=False).wait_for()
    assert not page.get_by_text("Page not found", exact=False).count()
    _shot(page, tmp_path, "link-signed-out")

    _sign_in_here(page)
    page.get_by_text(f"Network: {name}", exact=False).first.wait_for()
    assert name in _network_names(page)
    assert page.url.startswith(f"{ui_url}/explorer") and "entity=" in page.url

    cookies = {c["name"]: c for c in page.context.cookies()}
    assert SESSION_COOKIE in cookies and cookies[SESSION_COOKIE]["sameSite"] == "Strict"
    assert cookies[SESSION_COOKIE]["expires"] > 0  # expires, not a session-long cookie

    page.reload(wait_until="domcontentloaded")
    page.get_by_text("Signed in as t-investigator", exact=False).wait_for()
    page.get_by_text(f"Network: {name}", exact=False).first.wait_for()
    assert name in _network_names(page)
    assert not page.get_by_role("button", name="Sign in").count()
    assert not page.get_by_text("Page not found", exact=False).count()
    _shot(page, tmp_path, "link-after-reload")


def test_sign_out_revokes_the_cookie(ui_url: str, ui_world: dict[str, Any], page: Any,
                                     browser: Any, tmp_path: Path) -> None:
    page.goto(f"{ui_url}/findings", wait_until="domcontentloaded")
    _sign_in_here(page)
    token = next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    _settled(page)
    page.reload(wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign in").wait_for()
    assert not page.get_by_text("Signed in as", exact=False).count()

    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other.add_cookies([{k: token[k] for k in ("name", "value", "domain", "path")}])
        replay = other.new_page()
        replay.goto(f"{ui_url}/findings", wait_until="domcontentloaded")
        replay.get_by_text("signed out", exact=False).first.wait_for(timeout=60_000)
        assert not replay.get_by_text("Signed in as", exact=False).count()
        replay.get_by_text("Sign in in the sidebar to open Findings", exact=False).wait_for()
        assert not replay.get_by_text("Score waterfall", exact=False).count()
        _shot(replay, tmp_path, "replayed-cookie-refused")
    finally:
        other.close()


def test_finding_link_and_role_refusal(ui_url: str, ui_world: dict[str, Any], page: Any,
                                       tmp_path: Path) -> None:
    second = ui_world["doc"]["findings"][1]
    page.goto(f"{ui_url}/findings?finding={second['id']}", wait_until="domcontentloaded")
    _sign_in_here(page)
    page.get_by_role("heading", name=second["title"]).wait_for()
    page.reload(wait_until="domcontentloaded")  # signed in by the cookie: same finding
    page.get_by_role("heading", name=second["title"]).wait_for()
    _settled(page)
    assert not page.get_by_text("Page not found", exact=False).count()
    _shot(page, tmp_path, "finding-link")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.goto(_entity_link(ui_url, ui_world), wait_until="domcontentloaded")
    _sign_in_here(page, "manager")
    page.get_by_text("Your role (manager) may not open Explorer", exact=False).wait_for()
    assert not page.get_by_text("Page not found", exact=False).count()
    assert not page.get_by_text("Network:", exact=False).count()
    _shot(page, tmp_path, "link-refused-for-role")
