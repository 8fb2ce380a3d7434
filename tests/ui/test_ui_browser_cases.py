"""In a real browser (Debian's Chromium): from a finding to a case, a note, a saved view
and the report download, as an investigator does it, with older cases in the list (the
page once kept showing one of those after "Open case", and the note went there); and the
case's link, `/cases?case=<reference>`, which opens that case again after a reload and
shows a manager counts only. Screenshots are saved under each test's tmp folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import test_ui_browser as base
from _auth import user_name
from test_ui_browser import _login, _settled, _shot
from test_ui_links_browser import _sign_in_here

from graphfraud.security import read_audit
from graphfraud.security.users import User

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page


def _investigator(ui_world: dict[str, Any]):
    """(store, the investigator's Session) on the test home, beside the running UI."""
    from graphfraud.security.session import Session
    from graphfraud.store import open_store

    settings = ui_world["settings"]
    st = open_store(settings, "embedded")
    return st, Session(st, settings, User(user_name("investigator"), "investigator"),
                       purpose="test setup")


def _older_cases(ui_world: dict[str, Any], *refs: str) -> None:
    """Cases made before the page opens, so its "Open" box already shows one of them."""
    st, inv = _investigator(ui_world)
    try:
        have = {r["reference"] for r in inv.cases()}
        for ref in refs:
            if ref not in have:
                inv.create_case(ref, f"Older case {ref}")
    finally:
        st.close()


def _cases_by_reference(ui_world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    st, inv = _investigator(ui_world)
    try:
        return {r["reference"]: r for r in inv.cases()}
    finally:
        st.close()


def _open_box(page: Any) -> str:
    """What the "Open" box shows (the selected option's text)."""
    return page.get_by_role("combobox", name="Open", exact=True).input_value()


def test_from_a_finding_to_a_case_note_view_and_report(ui_url: str,
                                                       ui_world: dict[str, Any],
                                                       page: Any,
                                                       tmp_path: Path) -> None:
    _older_cases(ui_world, "OM-BR-OLD-1", "OM-BR-OLD-2")
    _login(page, ui_url, "investigator")
    page.on("dialog", lambda d: d.dismiss())
    first = ui_world["doc"]["findings"][0]
    page.goto(f"{ui_url}/findings?finding={first['id']}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=first["title"]).wait_for()
    _settled(page)
    page.get_by_role("link", name="Open a case").click()  # the finding's link to Cases
    page.get_by_text("GraphFraud — Cases", exact=True).wait_for()
    _settled(page)
    assert page.get_by_role("combobox", name="From finding").input_value().startswith(
        f"{first['id']} · ")
    assert "OM-BR-1" not in _open_box(page)  # an older case is open before
    page.get_by_label("Purpose or case reference (recorded with what you open)").fill(
        "case OM-BR-1")
    _settled(page)
    page.get_by_label("Reference (OM or FIOD number)").fill("OM-BR-1")
    page.get_by_label("Title").fill("Opened in the browser")
    page.get_by_role("button", name="Open case").click()
    page.get_by_text("Case OM-BR-1 opened", exact=False).wait_for()
    _settled(page)
    _shot(page, tmp_path, "case-opened-beside-older-cases")
    shown = page.get_by_role("heading", name="OM-BR-1 — Opened in the browser")
    shown.wait_for(timeout=10_000)
    shown.scroll_into_view_if_needed()
    _shot(page, tmp_path, "case-opened-shown")
    assert "OM-BR-1 · Opened in the browser" in _open_box(page), _open_box(page)
    assert "case=OM-BR-1" in page.url, page.url
    page.get_by_label("Note", exact=True).fill("Seen in the browser.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Seen in the browser.", exact=False).wait_for()
    _settled(page)
    rows = _cases_by_reference(ui_world)
    assert rows["OM-BR-1"]["notes"] == 1, rows
    assert rows["OM-BR-OLD-1"]["notes"] == 0 and rows["OM-BR-OLD-2"]["notes"] == 0, rows
    page.get_by_role("button", name="Save the findings' network as a view").click()
    page.get_by_text("saved (", exact=False).wait_for()
    _settled(page)
    page.get_by_role("button", name="Prepare the report").click()
    page.get_by_role("button", name="Download PDF").wait_for()
    _settled(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    actions = [r["action"] for r in read_audit(Path(ui_world["home"]) / "audit.jsonl")]
    for action in ("case_create", "case_note", "case_save_view", "case_export"):
        assert action in actions


def test_a_case_link_opens_the_case_after_a_reload_and_a_manager_sees_counts(
        ui_url: str, ui_world: dict[str, Any], page: Any,
        tmp_path: Path) -> None:
    _older_cases(ui_world, "OM-LINK-OLD-1", "OM-LINK-1", "OM-LINK-OLD-2")
    st, inv = _investigator(ui_world)
    try:
        ids = {r["reference"]: r["case_id"] for r in inv.cases()}
        inv.add_case_note(ids["OM-LINK-1"], "Reached through its link.")
    finally:
        st.close()
    link = f"{ui_url}/cases?case={quote('OM-LINK-1')}"
    page.goto(link, wait_until="domcontentloaded")
    page.get_by_text("Sign in in the sidebar to open Cases", exact=False).wait_for()
    _sign_in_here(page, "investigator")
    heading = page.get_by_role("heading", name="OM-LINK-1 — Older case OM-LINK-1")
    heading.wait_for()
    assert "OM-LINK-1 · Older case OM-LINK-1" in _open_box(page)
    page.reload(wait_until="domcontentloaded")
    page.get_by_text("Signed in as t-investigator", exact=False).wait_for()
    heading.wait_for()
    page.get_by_text("Reached through its link.", exact=False).wait_for()
    _settled(page)
    assert "OM-LINK-1 · Older case OM-LINK-1" in _open_box(page)
    assert page.url.startswith(f"{ui_url}/cases") and "case=OM-LINK-1" in page.url
    heading.scroll_into_view_if_needed()
    _shot(page, tmp_path, "case-link-after-reload")

    # Another case in the "Open" box puts that one in the URL.
    box = page.get_by_role("combobox", name="Open", exact=True)
    box.click()
    box.fill("OM-LINK-OLD-2")  # the box filters its options by what it holds
    page.get_by_role("option").filter(has_text="OM-LINK-OLD-2").first.click()
    page.get_by_role("heading", name="OM-LINK-OLD-2 — Older case OM-LINK-OLD-2").wait_for()
    _settled(page)
    assert "case=OM-LINK-OLD-2" in page.url, page.url

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.goto(link, wait_until="domcontentloaded")
    _sign_in_here(page, "manager")
    page.get_by_text("Cases per status (counts)", exact=True).wait_for()
    _settled(page)
    body = page.locator("body").inner_text()
    assert "OM-LINK" not in body and "Reached through its link." not in body
    assert not page.get_by_role("heading", name="OM-LINK-1 — Older case OM-LINK-1").count()
    _shot(page, tmp_path, "case-link-manager-counts")
