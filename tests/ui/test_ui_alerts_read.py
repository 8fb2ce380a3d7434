"""The Alerts page in-process (AppTest): the unread count drops as alerts are marked
read (one, then all), a saved query is watched from the page, and the manager's "Made a
case" card counts Case records, not "case" decisions."""

from __future__ import annotations

import re
from typing import Any

from _auth import user_name
from test_ui_apptest import _app, _texts

from graphfraud.cases.alerts import Alert
from graphfraud.security import read_audit
from graphfraud.security.users import User


def _session(ui_env: dict[str, Any], role: str):
    from graphfraud.security.session import Session
    from graphfraud.store import open_store

    settings = ui_env["settings"]
    st = open_store(settings, "embedded")
    return st, Session(st, settings, User(user_name(role), role), purpose="test setup")


def seed_alerts(ui_env: dict[str, Any], role: str, tag: str, n: int) -> list[str]:
    """`n` unread alerts for the test user of `role` (ids differ per `tag`)."""
    st, _ = _session(ui_env, role)
    made = [Alert(user_name(role), "touched", f"Trader:KVK:{tag}{i}", f"MENTIONS Tip:{tag}{i}",
                  "", tag) for i in range(n)]
    try:
        st.upsert("upsert_alert", [{"key": a.alert_id, "props": {
            **{k: v for k, v in a.to_dict().items() if k != "alert_id"},
            "created_at": "2026-01-01T00:00:00Z", "read": False}} for a in made],
            extra={"source": "test", "delivery": tag, "legal_basis": "derived"})
    finally:
        st.close()
    return [a.alert_id for a in made]


def _unread(at) -> int:
    return int(re.search(r"Alerts \((\d+) unread\)", _texts(at)).group(1))


def _click(at, key: str):
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_marking_alerts_read_drops_the_count(ui_env: dict[str, Any]) -> None:
    seed_alerts(ui_env, "analyst", "APP", 3)
    at = _app("analyst", "views/alerts.py")
    before = _unread(at)
    assert before >= 3
    _click(at, "al_read_one")
    assert _unread(at) == before - 1
    _click(at, "al_read_all")
    assert _unread(at) == 0
    marks = [r for r in read_audit(ui_env["home"] / "audit.jsonl")
             if r["action"] == "alerts" and "mark_read" in (r["detail"] or {})]
    assert [r["result_size"] for r in marks[-2:]] == [1, before - 1]


def test_watching_a_query_from_the_alerts_page(ui_env: dict[str, Any]) -> None:
    at = _app("analyst", "views/alerts.py")
    at.radio(key="wq_kind").set_value("my own Cypher")
    at.text_area(key="wq_cypher").set_value("MATCH (t:Trader) RETURN count(t) AS traders")
    at.text_input(key="wq_label").set_value("trader count")
    next(b for b in at.button if b.label == "Watch this query").click().run()
    assert not at.exception, at.exception
    assert "Watching trader count: 1 rows now" in _texts(at)
    st, sess = _session(ui_env, "analyst")
    try:
        assert "trader count" in {w["key"] for w in sess.watches()}
    finally:
        st.close()


def test_the_managers_made_a_case_card_counts_cases(ui_env: dict[str, Any]) -> None:
    st, inv = _session(ui_env, "investigator")
    try:
        inv.decide_finding("F-0003", "case", "a decision, not a Case record")
        decided = sum(d["decision"] == "case" for d in inv.decisions().values())
        inv.create_case("OM-CARD-1", "A Case record")
        cases = sum(inv.case_counts().values())
        if cases == decided:  # make the two figures differ, so the card tells them apart
            inv.create_case("OM-CARD-2", "Another Case record")
            cases += 1
    finally:
        st.close()
    at = _app("manager")
    cards = {m.label: m.value for m in at.metric}
    assert cards["Made a case"] == f"{cases:,}"


def _watch_button_script() -> None:
    """The Cypher page's "Watch this query" control alone, for a signed-in analyst."""
    from graphfraud.config import load_settings
    from graphfraud.security.session import Session
    from graphfraud.security.users import User
    from graphfraud.store import open_store
    from graphfraud.ui.views import watch_query

    settings = load_settings()
    sess = Session(open_store(settings, "embedded"), settings, User("t-analyst", "analyst"))
    watch_query.watch_button(sess, cypher="MATCH (p:Premise) RETURN count(p) AS premises",
                             params="{}", key="t")
    watch_query.watch_button(sess, cypher="MATCH (p:Premise) RETURN p", params="{bad",
                             key="bad")


def test_the_watch_button_watches_the_query(ui_env: dict[str, Any]) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_watch_button_script, default_timeout=60)
    at.run()
    at.text_input(key="t_label").set_value("premise count")
    at.button(key="t_button").click().run()
    assert not at.exception, at.exception
    assert any("Watching premise count: 1 rows now" in str(s.value) for s in at.success)
    at.button(key="bad_button").click().run()
    assert any("not valid JSON" in str(e.value) for e in at.error)
    st, sess = _session(ui_env, "analyst")
    try:
        assert "premise count" in {w["key"] for w in sess.watches()}
    finally:
        st.close()


def test_an_alert_on_a_finding_links_to_the_finding_and_a_case(ui_env: dict[str, Any]) -> None:
    st, _ = _session(ui_env, "investigator")
    alert = Alert(user_name("investigator"), "new_finding", "Finding:F-0002", "new in the run",
                  "run-ui-test", "")
    try:
        st.upsert("upsert_alert", [{"key": alert.alert_id, "props": {
            **{k: v for k, v in alert.to_dict().items() if k != "alert_id"},
            "created_at": "2026-01-01T00:00:00Z", "read": False}}],
            extra={"source": "test", "delivery": "LINK", "legal_basis": "derived"})
    finally:
        st.close()
    at = _app("investigator", "views/alerts.py")
    at.selectbox(key="al_pick").set_value(alert.alert_id).run()
    assert not at.exception, at.exception
    links = {e.proto.label: f"{e.proto.page}?{e.proto.query_string}"
             for e in at.get("page_link")}
    assert "Open finding F-0002" in links and "Open a case from finding F-0002" in links, links
    assert links["Open finding F-0002"] == "findings?finding=F-0002", links
    assert links["Open a case from finding F-0002"] == "cases?from_finding=F-0002", links
    st, inv = _session(ui_env, "investigator")
    try:
        inv.mark_alerts_read([alert.alert_id])  # the shared UI home: leave nothing unread
    finally:
        st.close()
