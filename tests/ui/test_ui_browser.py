"""The workbench in a real browser: `graphfraud ui` as a subprocess on the tiny world,
driven by Playwright with Debian's Chromium (never a downloaded browser).

Each test saves a screenshot under its own tmp folder and asserts on what a person sees.
One test blocks every request that does not go to 127.0.0.1 and checks the explorer
still draws its network: proof that nothing is fetched from outside. In CI (`CI=true`)
a missing /usr/bin/chromium fails the run instead of skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from _ci import unavailable

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 60_000
PAGES = {"findings": "GraphFraud — Findings", "explorer": "GraphFraud — Explorer",
         "cypher": "GraphFraud — Cypher", "maps": "GraphFraud — Maps and trends",
         "data": "GraphFraud — Data"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def ui_url(ui_world: dict[str, Any]) -> Iterator[str]:
    """`graphfraud ui --port N` against the test home; killed (whole group) at the end."""
    exe = shutil.which("graphfraud")
    assert exe, "the graphfraud command is not installed (pip install -e .)"
    port = _free_port()
    log = Path(ui_world["home"]) / f"ui-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([exe, "ui", "--store", "embedded", "--port", str(port)],
                                env=ui_world["env"], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"graphfraud ui did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} is missing: apt-get install chromium"
        unavailable(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.set_default_timeout(TIMEOUT_MS)
    yield p
    context.close()


TITLES = {"findings": "Findings", "explorer": "Explorer", "cypher": "Cypher",
          "maps": "Maps and trends", "data": "Data"}


def _login(page: Any, url: str, role: str = "investigator") -> None:
    """Sign in through the sidebar form, as a person would."""
    page.goto(url, wait_until="domcontentloaded")
    _sign_in_on(page, role)


def _sign_in_on(page: Any, role: str = "investigator") -> None:
    """Sign in through the sidebar form of the page already open (no navigation), and
    wait until the session cookie is written: the page can show before the sidebar's
    cookie script has run (seen here: the heading 0.46 s, the cookie 0.55 s after the
    click), and a reload before it would find no sign-in."""
    from _auth import PASSWORD, user_name

    from graphfraud.security.auth import SESSION_COOKIE

    page.get_by_role("textbox", name="User").fill(user_name(role))
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as {user_name(role)}", exact=False).wait_for()
    page.wait_for_function(
        f"() => document.cookie.split('; ').some(c => c.startsWith('{SESSION_COOKIE}=')"
        " && c.length > " + str(len(SESSION_COOKIE) + 1) + ")", timeout=TIMEOUT_MS)
    _settled(page)


def _open(page: Any, url: str, name: str, role: str = "investigator",
          ) -> tuple[float, float]:
    """Open a page (signing in first if needed) and wait until it is built; returns
    (seconds in the browser until the page's last element shows, milliseconds the server
    spent building it)."""
    if not page.get_by_text("Signed in as", exact=False).count():
        _login(page, url, role)
    start = time.perf_counter()
    page.locator("[data-testid='stSidebarNav']").get_by_text(TITLES[name],
                                                             exact=True).click()
    page.get_by_text(PAGES[name], exact=True).wait_for()
    built = page.get_by_text("Page built in", exact=False).first
    built.wait_for()
    seconds = time.perf_counter() - start
    server_ms = float(built.inner_text().split("Page built in")[1].split("ms")[0])
    _settled(page)
    return seconds, server_ms


def _settled(page: Any) -> None:
    """Wait until Streamlit has finished the current run (the "Running" widget is gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=TIMEOUT_MS)


def _shot(page: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 1000
    return path


def _search_and_open(page: Any, url: str, text: str) -> None:
    _open(page, url, "explorer")
    box = page.get_by_label("Search: name, KvK, excise number, address, postcode, plate, "
                            "phone")
    page.get_by_label("Purpose or case reference (recorded with what you open)").fill(
        "ZAAK-2023-17")
    box.fill(text)
    box.press("Enter")
    page.get_by_role("button", name="Open neighbourhood").wait_for()
    _settled(page)
    page.get_by_role("button", name="Open neighbourhood").click()
    page.get_by_text("Network:", exact=False).first.wait_for()
    _settled(page)


def _canvas(page: Any) -> Any:
    frame = page.frame_locator("iframe").first
    canvas = frame.locator("#gf-network canvas")
    canvas.wait_for(state="attached", timeout=TIMEOUT_MS)
    return canvas


def _trader_name(ui_world: dict[str, Any]) -> str:
    return ui_world["doc"]["findings"][0]["title"].split(" around ")[1]


def test_every_page_opens_and_page_times(ui_url: str, page: Any, tmp_path: Path) -> None:
    times = {}
    for name, header in PAGES.items():
        _open(page, ui_url, name)  # first visit warms the caches
        seconds, server_ms = _open(page, ui_url, name)
        times[name] = {"browser_s": round(seconds, 2), "server_ms": round(server_ms)}
        assert page.get_by_text(header, exact=True).is_visible()
        assert not page.get_by_text("Page not found", exact=False).count()
        _shot(page, tmp_path, f"page-{name}")
    assert page.title() == "GraphFraud" or "GraphFraud" in page.title()
    (tmp_path / "page-times.json").write_text(json.dumps(times, indent=1))
    print("page load seconds (warm):", times)


def test_finding_waterfall(ui_url: str, page: Any, tmp_path: Path) -> None:
    _open(page, ui_url, "findings")
    page.get_by_text("Score waterfall", exact=False).wait_for()
    chart = page.locator("[data-testid='stVegaLiteChart'] canvas, "
                         "[data-testid='stVegaLiteChart'] svg").first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    assert page.get_by_text("shared_address", exact=False).first.is_visible()
    assert page.get_by_text("Signed in as", exact=False).first.is_visible()
    _shot(page, tmp_path, "finding-waterfall")


def test_search_expand_and_network(ui_url: str, ui_world: dict[str, Any], page: Any,
                                   tmp_path: Path) -> None:
    _search_and_open(page, ui_url, _trader_name(ui_world).lower())
    assert _canvas(page).count() == 1
    page.get_by_role("button", name="Expand", exact=True).click()
    _settled(page)
    assert _canvas(page).count() == 1
    assert page.get_by_text("relationships", exact=False).first.is_visible()
    page.locator("iframe").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # let the layout stabilise and freeze for the picture
    _shot(page, tmp_path, "explorer-network")


def test_saved_query_runs(ui_url: str, page: Any, tmp_path: Path) -> None:
    _open(page, ui_url, "cypher")
    page.get_by_role("button", name="Run saved query").click()
    page.get_by_role("button", name="Download CSV").wait_for()
    _settled(page)
    assert page.locator("[data-testid='stDataFrame']").first.is_visible()
    assert page.get_by_text("rows", exact=False).first.is_visible()
    _shot(page, tmp_path, "cypher-saved-query")


def block_outside(page: Any) -> list[str]:
    """Abort every request of the page's context that is not to 127.0.0.1; returns the
    list the aborted addresses are appended to (a test asserts it stays empty)."""
    blocked: list[str] = []

    def only_local(route: Any) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in (
                "127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_local)
    return blocked


def test_explorer_draws_the_network_offline(ui_url: str, ui_world: dict[str, Any],
                                           page: Any, tmp_path: Path) -> None:
    blocked = block_outside(page)
    _search_and_open(page, ui_url, _trader_name(ui_world))
    canvas = _canvas(page)
    assert canvas.count() == 1
    box = canvas.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    frozen = page.frame_locator("iframe").first.locator("#gf-network[data-frozen='1']")
    frozen.wait_for(state="attached", timeout=15_000)  # physics stabilised, then froze
    page.locator("iframe").first.scroll_into_view_if_needed()
    _shot(page, tmp_path, "explorer-offline")
    assert blocked == [], f"the page tried to reach outside: {blocked}"


def _secrets(ui_world: dict[str, Any]) -> set[str]:
    import csv

    with open(ui_world["data"] / "persons.csv", encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    found = {v for p in people for v in (p["full_name"], p["birth_date"], p.get("street"))
             if v and len(v) > 4}
    for f in ui_world["doc"]["findings"]:
        found |= set(f["subjects"]["addresses"]) | set(f["subjects"]["persons"])
    return found


def test_manager_payloads_hold_no_person(ui_url: str, ui_world: dict[str, Any], page: Any,
                                         tmp_path: Path) -> None:
    """Every payload the browser receives (websocket frames and HTTP bodies) while a
    manager uses every page they have: no person's name, birth date, address or id."""
    received: list[bytes] = []

    def on_ws(ws: Any) -> None:
        ws.on("framereceived", lambda payload: received.append(
            payload if isinstance(payload, bytes) else str(payload).encode()))

    def on_response(resp: Any) -> None:
        try:
            received.append(resp.body())
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            pass

    page.on("websocket", on_ws)
    page.on("response", on_response)
    for name in ("findings", "maps"):
        _open(page, ui_url, name, role="manager")
        page.wait_for_timeout(500)
    for name in ("explorer", "cypher", "data"):
        nav = page.locator("[data-testid='stSidebarNav']")
        assert not nav.get_by_text(TITLES[name], exact=True).count()
    assert not page.get_by_role("button", name="Download CSV").count()
    blob = b"".join(received).decode("utf-8", errors="replace")
    assert len(blob) > 10_000  # the pages did arrive
    leaked = sorted(v for v in _secrets(ui_world) if v in blob)
    assert leaked == [], leaked[:5]
    _shot(page, tmp_path, "manager-maps")


@pytest.mark.parametrize("role", ["investigator", "analyst"])
def test_one_download_is_one_audit_record(ui_url: str, ui_world: dict[str, Any], page: Any,
                                          role: str) -> None:
    from graphfraud.security import read_audit

    def exports() -> list[dict[str, Any]]:
        return [r for r in read_audit(Path(ui_world["home"]) / "audit.jsonl")
                if r["action"] == "export"]

    _open(page, ui_url, "cypher", role=role)
    page.get_by_role("button", name="Run saved query").click()
    button = page.get_by_role("button", name="Download CSV")
    button.wait_for()
    _settled(page)
    before = len(exports())
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "result.csv"
    _settled(page)
    page.wait_for_timeout(500)
    after = exports()
    assert len(after) == before + 1
    assert after[-1]["user"].endswith(role) and after[-1]["detail"]["format"] == "csv"


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_no_download_for_a_role_without_export(ui_url: str, page: Any, role: str) -> None:
    for name in (("findings", "maps") if role == "manager" else ("data", "maps")):
        _open(page, ui_url, name, role=role)
        assert not page.get_by_role("button", name="Download CSV").count()
        assert not page.locator("[data-testid='stDownloadButton']").count()


def test_what_the_workbench_wrote_is_open_to_no_other_user(ui_url: str,
                                                           ui_world: dict[str, Any]) -> None:
    """After the pages above were used (sign-ins, queries, downloads, decisions), every
    file and folder the workbench made or changed under the home is 0600/0700. The world
    the test itself generated before the UI started is left out: only the UI's writes."""
    import stat

    home = Path(ui_world["home"])
    logs = sorted(home.glob("ui-*.log"), key=lambda p: p.stat().st_mtime)
    assert logs, "the UI's log is where ui_url put it"
    started = logs[-1].stat().st_ctime
    written, open_to_others = [], []
    for root, dirs, files in os.walk(home):
        for name in dirs + files:
            path = Path(root) / name
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode) or path in logs or st.st_mtime < started:
                continue
            written.append(path)
            if stat.S_IMODE(st.st_mode) & 0o077:
                open_to_others.append(f"{path.relative_to(home)} {stat.S_IMODE(st.st_mode):o}")
    assert any(p.name == "audit.jsonl" for p in written)  # the walk sees the UI's writes
    assert open_to_others == []
