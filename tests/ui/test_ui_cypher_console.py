"""The analysts' console in-process (AppTest): an engine error in plain words with its
line and column and a caret under the place, a heavy query that leaves the page usable
with a Cancel button, and the user's own history loaded back into the editor."""

from __future__ import annotations

import time
from typing import Any

from test_ui_apptest import _app, _audit, _texts

HEAVY = ("MATCH (a:Trader), (b:Trader), (c:Address), (d:Address) WHERE a.name < b.name "
         "AND b.name < c.city AND c.city < d.city RETURN count(*) AS n")


def test_engine_error_is_plain_with_its_position(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    at.text_area(key="cy_text").set_value("MATCH (n:Trader)\nRETURN nosuchfn(n.name)")
    at.button(key="cy_free").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("Error in the query at line 2, column 8: Unknown function")
               for e in errors), errors
    assert not any("ResponseError" in e or "refused the query" in e for e in errors)
    assert any(c.value == "RETURN nosuchfn(n.name)\n       ^" for c in at.code), \
        [c.value for c in at.code]


def test_a_heavy_query_can_be_cancelled(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    at.number_input(key="cy_timeout").set_value(8.0)
    at.text_area(key="cy_text").set_value(HEAVY)
    at.button(key="cy_free").click().run()
    assert not at.exception, at.exception
    assert any("Running the query for" in i.value for i in at.info), _texts(at)
    at.button(key="cy_cancel").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Query cancelled:") for s in at.success), _texts(at)
    assert not [b for b in at.button if b.key == "cy_cancel"]
    rec = [r for r in _audit(ui_env["home"]) if r["action"] == "query_cancel"]
    assert rec and rec[-1]["detail"]["query"] == HEAVY
    time.sleep(0.1)


def test_history_lists_my_queries_and_loads_one_back(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", page="views/cypher.py")
    mine = "MATCH (t:Trader) RETURN t.name AS name LIMIT 2"
    at.text_area(key="cy_text").set_value(mine)
    at.button(key="cy_free").click().run()
    assert "2 rows" in _texts(at)
    at.text_area(key="cy_text").set_value("MATCH (t:Trader) RETURN count(t) AS n")
    at.run()
    history = at.dataframe[-1].value
    assert history.iloc[0]["query"] == mine and history.iloc[0]["outcome"] == "ok"
    at.selectbox(key="cy_hist_pick").set_value(0)
    at.button(key="cy_hist_load").click().run()
    assert at.text_area(key="cy_text").value == mine
    assert "Loaded into the Free Cypher tab." in _texts(at)
