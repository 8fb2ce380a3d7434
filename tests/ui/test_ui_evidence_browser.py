"""Findings joined to the graph, in headless Chromium: a finding whose evidence points at a
seizure, a retail check and a movement (the refs the detectors write, "Label:key") opens
by its deep link; every ref gets a link, and the finding's subgraph draws a node of that
type and name for each one; a ref's link opens that entity in the explorer, and "Open in
explorer" opens the finding's subgraph there. Screenshots under the test's tmp folder."""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_ui_browser as base
from test_ui_browser import _login, _settled, _shot

pytestmark = pytest.mark.browser

ui_url, browser, page = base.ui_url, base.browser, base.page


def _rows(data: Path, name: str) -> list[dict[str, str]]:
    with (data / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def evidence_run(ui_world: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The sample run plus one finding with refs beyond its subjects; the sample run is
    the latest again afterwards (other tests count its findings)."""
    from graphfraud.detect.records import FindingsDocument
    from graphfraud.detect.runs import save_run

    data = ui_world["data"]
    seizure = next(r for r in _rows(data, "seizures.csv") if r["trader_id"])
    check = next(r for r in _rows(data, "retail_checks.csv") if r["outlet_trader_id"])
    traders = {r["trader_id"]: r for r in _rows(data, "traders.csv")}
    excise = {r["excise_number"]: r["trader_id"] for r in traders.values() if r["excise_number"]}
    move = next(r for r in _rows(data, "movements.csv")
                if r["consignor_excise_number"] in excise)
    refs = [f"Seizure:{seizure['seizure_id']}", f"RetailCheck:{check['check_id']}",
            f"Movement:{move['arc']}"]
    finding = {
        "id": "F-evid-0001", "kind": "retail_supply_chain", "rank": 4, "score": 0.7,
        "primary": f"Trader:{check['outlet_trader_id']}",
        "title": f"Retail supply chain around {traders[check['outlet_trader_id']]['name']}",
        "subjects": {"traders": sorted({seizure["trader_id"], check["outlet_trader_id"],
                                        excise[move["consignor_excise_number"]]}),
                     "persons": [], "premises": [], "addresses": [], "movements": [],
                     "machines": []},
        "location": {"municipality": traders[check["outlet_trader_id"]]["city"]},
        "reasons": [
            {"signal": "seizure_at_supplier", "weight": 0.4, "part": 0.4,
             "evidence": "goods seized at a supplier", "refs": refs[:1]},
            {"signal": "check_names_supplier", "weight": 0.3, "part": 0.2,
             "evidence": "a retail check names the supplier", "refs": refs[1:2]},
            {"signal": "supply_movement", "weight": 0.2, "part": 0.1,
             "evidence": "a movement from the supplier", "refs": refs[2:]},
        ]}
    doc = copy.deepcopy(ui_world["doc"])
    doc["run"]["run_id"] = "run-ui-evidence"
    doc["findings"].append(finding)
    save_run(ui_world["settings"], FindingsDocument.from_dict(doc))
    try:
        yield {"finding": finding, "refs": refs}
    finally:
        save_run(ui_world["settings"], FindingsDocument.from_dict(ui_world["doc"]))


def test_a_findings_subgraph_contains_each_evidence_ref(
        ui_url: str, evidence_run: dict[str, Any], page: Any, tmp_path: Path) -> None:
    f = evidence_run["finding"]
    _login(page, ui_url)
    page.goto(f"{ui_url}/findings?finding={f['id']}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=f["title"]).wait_for()
    page.get_by_text("Subgraph", exact=True).wait_for()
    _settled(page)
    assert not page.get_by_text("Page not found", exact=False).count()
    links = {}
    for ref in evidence_run["refs"]:
        label = ref.split(":", 1)[0]
        link = page.locator("[data-testid='stPageLink']").filter(has_text=f"{label}: ")
        link.first.wait_for()
        links[ref] = link.first.inner_text().strip().split(": ", 1)[1]
    frame_el = page.locator("iframe").first
    frame_el.scroll_into_view_if_needed()
    page.frame_locator("iframe").first.locator("#gf-network[data-frozen='1']").wait_for(
        state="attached", timeout=30_000)
    drawn = frame_el.element_handle().content_frame().evaluate(
        "() => window.gfNodes.get().map(n => [n.gfType, n.label])")
    for ref, name in links.items():
        label = ref.split(":", 1)[0]
        assert any(t == label and (n == name or name.startswith(n.rstrip("…")))
                   for t, n in drawn), (ref, name, drawn)
    _shot(page, tmp_path, "finding-evidence-subgraph")

    seizure = evidence_run["refs"][0]
    page.locator("[data-testid='stPageLink']").filter(has_text="Seizure: ").first.click()
    page.get_by_text("GraphFraud — Explorer", exact=True).wait_for()
    page.get_by_label("Purpose or case reference (recorded with what you open)").fill(
        "ZAAK-2023-17")
    page.keyboard.press("Enter")
    page.get_by_text(f"Network: {links[seizure]}", exact=False).first.wait_for()
    assert "entity=Seizure" in page.url
    _shot(page, tmp_path, "evidence-ref-opened")

    page.goto(f"{ui_url}/findings?finding={f['id']}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=f["title"]).wait_for()
    page.get_by_role("link", name="Open in explorer").click()
    page.get_by_text("GraphFraud — Explorer", exact=True).wait_for()
    page.get_by_label("Purpose or case reference (recorded with what you open)").fill(
        "ZAAK-2023-17")
    page.keyboard.press("Enter")
    page.get_by_text("Network:", exact=False).first.wait_for()
    _settled(page)
    frame = page.locator("iframe").first.element_handle().content_frame()
    page.frame_locator("iframe").first.locator("#gf-network[data-frozen='1']").wait_for(
        state="attached", timeout=30_000)
    types = set(frame.evaluate("() => window.gfNodes.get().map(n => n.gfType)"))
    assert {"Seizure", "RetailCheck", "Movement", "Trader"} <= types, types
    _shot(page, tmp_path, "finding-in-explorer")
