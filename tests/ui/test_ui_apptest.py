"""Every page of the workbench and its main interactions, in-process with Streamlit's
AppTest (no browser): the tiny world, a sample findings run, dev mode (no users file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest

from graphfraud.security import read_audit


def _app(role: str = "investigator", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if role != "investigator":
        at.sidebar.selectbox(key="dev_role").set_value(role).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    parts: list[str] = []
    for kind in ("markdown", "header", "subheader", "caption", "info", "success", "warning",
                 "error", "title"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)


def _audit(home: Path) -> list[dict[str, Any]]:
    return read_audit(home / "audit.jsonl")


def test_findings_is_the_start_page_with_a_waterfall(ui_env: dict[str, Any]) -> None:
    at = _app()
    text = _texts(at)
    assert "GraphFraud — Findings" in text
    assert "Dev mode" in text
    assert "3 of 3 findings" in text
    assert "Score waterfall" in text
    assert "shared_address" in text  # the evidence list
    assert len(at.get("vega_lite_chart")) >= 1


def test_findings_filters(ui_env: dict[str, Any]) -> None:
    at = _app()
    at.multiselect(key="f_kinds").set_value(["factory_site"]).run()
    assert "1 of 3 findings" in _texts(at)
    at.slider(key="f_score").set_value(0.99).run()
    assert "No finding matches these filters." in _texts(at)


def test_decision_is_kept_and_audited(ui_env: dict[str, Any]) -> None:
    home = ui_env["home"]
    before = len([r for r in _audit(home) if r["action"] == "finding_decision"])
    at = _app()
    at.selectbox(key="f_open").set_value("F-0002").run()
    at.radio[0].set_value("dismissed")
    at.text_input[0].set_value("known legal wholesaler")
    at.button[0].click().run()
    assert not at.exception
    assert "Saved: F-0002 → dismissed" in _texts(at)
    lines = (home / "decisions.jsonl").read_text().splitlines()
    last = json.loads(lines[-1])
    assert last["finding_id"] == "F-0002" and last["decision"] == "dismissed"
    after = [r for r in _audit(home) if r["action"] == "finding_decision"]
    assert len(after) == before + 1
    assert after[-1]["detail"]["finding_id"] == "F-0002"


def test_manager_sees_aggregates_only(ui_env: dict[str, Any]) -> None:
    at = _app("manager")
    text = _texts(at)
    assert "aggregates" in text
    assert "Score waterfall" not in text
    names = [f["title"] for f in ui_env["doc"]["findings"]]
    dumped = text + "".join(str(df.value) for df in at.dataframe)
    assert not any(n in dumped for n in names)


def test_explorer_search_open_expand_paths_timeline(ui_env: dict[str, Any]) -> None:
    doc = ui_env["doc"]
    name = doc["findings"][0]["title"].split(" around ")[1]
    at = _app(page="views/explorer.py")
    assert "GraphFraud — Explorer" in _texts(at)
    at.text_input(key="x_query").set_value(name.upper().replace(" ", "  "))
    at.button[0].click().run()  # the search form's submit button
    assert not at.exception
    assert len(at.dataframe) == 1
    at.button(key="x_open").click().run()
    assert not at.exception
    text = _texts(at)
    assert "Network:" in text and "nodes" in text
    at.button(key="x_expand").click().run()
    assert not at.exception
    at.button(key="x_sp").click().run()
    assert not at.exception
    assert "path" in _texts(at).lower()
    at.button(key="x_tp").click().run()
    assert not at.exception
    actions = [r["action"] for r in _audit(ui_env["home"])]
    assert "search" in actions and "view_entity" in actions


def test_explorer_search_by_postcode_and_nothing_found(ui_env: dict[str, Any]) -> None:
    address = ui_env["doc"]["findings"][0]["subjects"]["addresses"][0]
    postcode = address.split("|")[0]
    at = _app(page="views/explorer.py")
    at.text_input(key="x_query").set_value(f"{postcode[:4]} {postcode[4:].lower()}")
    at.button[0].click().run()
    assert len(at.dataframe) == 1
    at.text_input(key="x_query").set_value("zzzqqq xxyyz")
    at.button[0].click().run()
    assert "Nothing found" in _texts(at)


def test_cypher_library_query_runs(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    assert "GraphFraud — Cypher" in _texts(at)
    at.selectbox(key="cy_name").set_value("count_by_label" if False else "eps_counts").run()
    at.button(key="cy_run").click().run()
    assert not at.exception
    assert "rows" in _texts(at)


def test_cypher_free_read_and_refused_write(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    at.text_area(key="cy_text").set_value("MATCH (t:Trader) RETURN t LIMIT 5")
    at.button(key="cy_free").click().run()
    assert not at.exception
    assert "5 rows" in _texts(at)
    at.text_area(key="cy_text").set_value("MATCH (t:Trader) DETACH DELETE t")
    at.button(key="cy_free").click().run()
    assert not at.exception
    assert "Refused" in _texts(at)
    at.text_area(key="cy_text").set_value("MATCH (t:Trader RETURN t")
    at.button(key="cy_free").click().run()
    assert not at.exception
    assert at.error  # bad Cypher: a message, not a traceback


def test_investigator_has_no_free_cypher(ui_env: dict[str, Any]) -> None:
    at = _app(page="views/cypher.py")
    assert "Free Cypher is for analysts" in _texts(at)


def test_maps_and_trends(ui_env: dict[str, Any]) -> None:
    at = _app("manager", page="views/maps.py")
    text = _texts(at)
    assert "GraphFraud — Maps and trends" in text
    assert "EPS share" in text and "Trend 2019" in text
    assert len(at.get("vega_lite_chart")) >= 2


def test_data_page(ui_env: dict[str, Any]) -> None:
    at = _app(page="views/data.py")
    text = _texts(at)
    assert "GraphFraud — Data" in text
    assert "Nodes per label" in text and "Last detect run" in text
    assert any("Trader" in str(df.value) for df in at.dataframe)


@pytest.mark.parametrize("page", ["views/findings.py", "views/maps.py"])
def test_store_down_is_a_message_not_a_traceback(ui_env: dict[str, Any], page: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from graphfraud.store import StoreUnavailable
    from ui import common

    def down(*a: Any, **k: Any) -> Any:
        raise StoreUnavailable("connection refused (test)")

    monkeypatch.setattr(common, "store", down)
    monkeypatch.setattr(common, "cached_call", down)
    at = _app(page=page)
    assert not at.exception


def test_manager_never_sees_a_person_on_any_page(ui_env: dict[str, Any]) -> None:
    """Whatever page a manager opens, no person's name, birth date or street shows."""
    import csv

    with open(ui_env["data"] / "persons.csv", encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    secret = {v for p in people for v in (p["full_name"], p["birth_date"], p.get("street"))
              if v and len(v) > 4}
    for page in ("views/explorer.py", "views/cypher.py", "views/data.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            _app("manager", page=page)  # not even registered for a manager
    for page in ("views/findings.py", "views/maps.py"):
        at = _app("manager", page=page)
        shown = _texts(at) + "".join(str(df.value) for df in at.dataframe)
        shown += "".join(str(t.value) for t in at.table)
        leaked = sorted(v for v in secret if v in shown)
        assert leaked == [], (page, leaked[:5])
