"""Every page of the workbench and its main interactions, in-process with Streamlit's
AppTest (no browser): the tiny world, a sample findings run, a user per role who signs
in through the sidebar form, as a person would."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from _auth import PASSWORD, user_name
from conftest import APP
from streamlit.testing.v1 import AppTest

from graphfraud.security import read_audit


def _signin(at: AppTest, username: str, password: str) -> AppTest:
    at.sidebar.text_input(key="login_user").set_value(username)
    at.sidebar.text_input(key="login_password").set_value(password)
    at.sidebar.button[0].click().run()  # the sign-in form's submit button
    return at


def _search(at: AppTest) -> AppTest:
    """Submit the explorer's search form."""
    next(b for b in at.button if b.label == "Search").click().run()
    return at


def _app(role: str = "investigator", page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    _signin(at, user_name(role), PASSWORD)
    assert not at.exception, at.exception
    assert f"Signed in as **{user_name(role)}**" in "".join(m.value for m in at.sidebar.markdown)
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
    next(b for b in at.button if b.label == "Save decision").click().run()
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
    _search(at)
    assert not at.exception
    assert len(at.dataframe) == 1
    at.button(key="x_open").click().run()  # a director in it: no purpose, no persons
    assert "Purpose required" in _texts(at)
    at.text_input(key="x_purpose").set_value("case 2023-17")
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
    records = _audit(ui_env["home"])
    actions = [r["action"] for r in records]
    assert "search" in actions and "view_entity" in actions
    persons = [r for r in records if r["action"] == "view_person"]
    assert persons and all(r["purpose"] == "case 2023-17" for r in persons
                           if r["detail"].get("outcome") == "ok")


def test_explorer_search_by_postcode_and_nothing_found(ui_env: dict[str, Any]) -> None:
    address = ui_env["doc"]["findings"][0]["subjects"]["addresses"][0]
    postcode = address.split("|")[0]
    at = _app(page="views/explorer.py")
    at.text_input(key="x_query").set_value(f"{postcode[:4]} {postcode[4:].lower()}")
    _search(at)
    assert len(at.dataframe) == 1
    at.text_input(key="x_query").set_value("zzzqqq xxyyz")
    _search(at)
    assert "Nothing found" in _texts(at)


def test_cypher_library_query_runs(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    assert "GraphFraud — Cypher" in _texts(at)
    at.selectbox(key="cy_name").set_value("count_by_label" if False else "eps_counts").run()
    at.button(key="cy_run").click().run()
    assert not at.exception
    done = [str(e.value) for e in at.success]  # "N rows", not the no-rows info or a caption
    assert any(re.match(r"[1-9][0-9]* rows", d) for d in done), done
    # the result table (the History tab's table of the user's queries is the other one)
    results = [d.value for d in at.dataframe if "kind" not in d.value.columns]
    assert len(results) == 1 and len(results[0]) > 0, [list(d.value.columns)
                                                        for d in at.dataframe]


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


def test_investigator_free_cypher_needs_a_purpose(ui_env: dict[str, Any]) -> None:
    at = _app(page="views/cypher.py")
    at.text_area(key="cy_text").set_value("MATCH (t:Tip) RETURN t.text AS text LIMIT 3")
    at.button(key="cy_free").click().run()
    assert "Purpose required" in _texts(at)
    at.text_input(key="cy_purpose").set_value("ZAAK-2023-17")
    at.button(key="cy_free").click().run()
    assert not at.exception
    assert "3 rows" in _texts(at)
    last = [r for r in _audit(ui_env["home"]) if r["action"] == "query"][-1]
    assert last["purpose"] == "ZAAK-2023-17" and last["result_size"] == 3


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
    from graphfraud.ui import common

    def down(*a: Any, **k: Any) -> Any:
        raise StoreUnavailable("connection refused (test)")

    monkeypatch.setattr(common, "store", down)
    at = _app(page=page)
    assert not at.exception


def test_manager_never_sees_a_person_on_any_page(ui_env: dict[str, Any]) -> None:
    """Whatever page a manager opens, no person's name, birth date or street shows."""
    import csv

    with open(ui_env["data"] / "persons.csv", encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    secret = {v for p in people for v in (p["full_name"], p["birth_date"], p.get("street"))
              if v and len(v) > 4}
    for f in ui_env["doc"]["findings"]:  # the sample findings' addresses and persons
        secret |= set(f["subjects"]["addresses"]) | set(f["subjects"]["persons"])
    for page in ("views/explorer.py", "views/cypher.py", "views/data.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            _app("manager", page=page)  # not even registered for a manager
    for page in ("views/findings.py", "views/maps.py"):
        at = _app("manager", page=page)
        shown = _texts(at) + "".join(str(df.value) for df in at.dataframe)
        shown += "".join(str(t.value) for t in at.table)
        leaked = sorted(v for v in secret if v in shown)
        assert leaked == [], (page, leaked[:5])
        assert not at.get("download_button")  # a manager may not export


# --- sign-in: fails closed ------------------------------------------------------------

def test_no_users_no_pages(ui_env: dict[str, Any], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHFRAUD_HOME", str(tmp_path / "fresh"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "No users yet" in "".join(e.value for e in at.sidebar.error)
    for page in ("views/findings.py", "views/cypher.py", "views/data.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page).run()


def test_not_signed_in_gets_only_the_sign_in_page(ui_env: dict[str, Any]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert "Sign in in the sidebar" in _texts(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/findings.py").run()


def test_wrong_password_is_refused_and_audited(ui_env: dict[str, Any]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    _signin(at, user_name("analyst"), "not-the-password")
    assert "wrong password" in "".join(e.value for e in at.sidebar.error)
    assert "GraphFraud — Findings" not in _texts(at)
    last = [r for r in _audit(ui_env["home"]) if r["action"] == "login_failed"][-1]
    assert last["user"] == user_name("analyst") and last["detail"]["via"] == "ui"


# --- classification on the route the UI takes ------------------------------------------

@pytest.mark.parametrize("text", [
    "MATCH (t:Tip) RETURN t.text AS x",
    "MATCH (n) RETURN toLower(n.text) AS x",
    "MATCH (n) RETURN properties(n) AS x",
    "MATCH (a:Address)<-[*1..2]-(n) RETURN collect(n.text) AS x",
])
def test_analyst_cypher_page_refuses_withheld_data(ui_env: dict[str, Any], text: str) -> None:
    at = _app("analyst", page="views/cypher.py")
    at.text_area(key="cy_text").set_value(text)
    at.button(key="cy_free").click().run()
    assert not at.exception
    shown = _texts(at)
    assert "Refused" in shown and ("investigation" in shown or "Tip" in shown)
    assert "loods" not in shown.lower()
    last = [r for r in _audit(ui_env["home"]) if r["action"] == "query"][-1]
    assert last["detail"]["outcome"] == "refused" and last["result_size"] == 0


def test_analyst_library_hides_plumbing_and_wpg_queries(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    offered = at.selectbox(key="cy_name").options
    assert offered and not any("signal_tips" in o or "signal_seizures" in o for o in offered)
    assert not any(o.startswith(("ingest/", "admin/", "load/", "bench/", "explorer/"))
                   for o in offered)
