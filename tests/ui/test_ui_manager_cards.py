"""Managers read figures as KPI cards with titles, not a raw JSON blob, on the Findings and
the Maps page (AppTest, in process)."""

from __future__ import annotations

from typing import Any

from test_ui_apptest import _app, _texts


def test_manager_findings_figures_are_cards(ui_env: dict[str, Any]) -> None:
    at = _app("manager")
    cards = {m.label: m.value for m in at.metric}
    assert cards["Findings"] == str(len(ui_env["doc"]["findings"]))
    assert {"Made a case", "Dismissed", "Municipalities"} <= set(cards)
    assert not at.get("json")
    assert '{"findings"' not in _texts(at) and "'findings':" not in _texts(at)


def test_manager_maps_have_cards_and_a_kind_filter(ui_env: dict[str, Any]) -> None:
    at = _app("manager", page="views/maps.py")
    cards = {m.label: m.value for m in at.metric}
    assert cards["Findings"] == str(len(ui_env["doc"]["findings"]))
    kinds = next(s for s in at.selectbox if s.label == "Kind of finding")
    assert kinds.options[0] == "all kinds" and "factory_site" in kinds.options
    kinds.set_value("factory_site").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 4  # EPS map, trend, findings map, by kind
