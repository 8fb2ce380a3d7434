"""The Cases and Alerts pages in-process (AppTest): an investigator opens a case from a
finding, adds a note, moves it on and prepares the report downloads; a manager sees
counts only; the alerts page shows the unread count."""

from __future__ import annotations

from typing import Any

from test_ui_apptest import _app, _texts

from graphfraud.security import read_audit


def _submit(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_from_a_finding_to_a_case_a_note_and_the_report(ui_env: dict[str, Any]) -> None:
    at = _app("investigator", "views/cases.py")
    at.text_input(key="case_purpose").set_value("case OM-UI-1").run()
    at.text_input(key="case_ref").set_value("OM-UI-1")
    at.text_input(key="case_title").set_value("From the findings page")
    at.selectbox(key="case_from").set_value(at.selectbox(key="case_from").options[1])
    _submit(at, "Open case")
    assert "Case OM-UI-1 opened" in _texts(at)
    at.text_area(key="case_note_text").set_value("Checked the lease contract.")
    _submit(at, "Add note")
    at.selectbox(key="case_to").set_value("investigating")
    at.text_input(key="case_reason").set_value("lease is a front")
    _submit(at, "Change status")
    text = _texts(at)
    assert "Checked the lease contract." in text and "lease is a front" in text
    assert "Status **investigating**" in text
    _submit(at, "Prepare the report")
    assert not at.exception
    labels = [e.proto.label for e in at.get("download_button")]
    assert labels == ["Download PDF", "Download HTML"]
    actions = [r["action"] for r in read_audit(ui_env["home"] / "audit.jsonl")]
    for action in ("case_create", "case_note", "case_status", "case_export"):
        assert action in actions


def test_a_manager_sees_case_counts_only(ui_env: dict[str, Any]) -> None:
    at = _app("manager", "views/cases.py")
    text = _texts(at)
    assert "Cases per status (counts)" in text and "OM-UI-1" not in text


def test_the_alerts_page_counts_unread(ui_env: dict[str, Any]) -> None:
    """The page's title says as many unread alerts as the Session holds for the user
    (other tests of the shared UI home may have raised some)."""
    from test_ui_alerts_read import _session

    st, inv = _session(ui_env, "investigator")
    try:
        unread = inv.unread_alerts()
    finally:
        st.close()
    at = _app("investigator", "views/alerts.py")
    assert f"GraphFraud — Alerts ({unread} unread)" in _texts(at)


def test_a_case_opened_beside_older_cases_is_the_one_shown(ui_env: dict[str, Any]) -> None:
    """With older cases in the list, "Open case" shows the new case, and its note goes
    there (the "Open" box kept the case chosen before, and the note went to that one)."""
    from test_ui_alerts_read import _session

    st, inv = _session(ui_env, "investigator")
    try:
        inv.create_case("OM-OLD-1", "An older case")
        inv.create_case("OM-OLD-2", "Another older case")
    finally:
        st.close()
    at = _app("investigator", "views/cases.py")
    shown = [s.value for s in at.subheader]
    assert len(shown) == 2 and "OM-NEW-1" not in shown[-1], shown  # an older case is shown
    at.text_input(key="case_ref").set_value("OM-NEW-1")
    at.text_input(key="case_title").set_value("Opened beside older cases")
    at.selectbox(key="case_from").set_value(at.selectbox(key="case_from").options[1])
    _submit(at, "Open case")
    assert [s.value for s in at.subheader][-1] == "OM-NEW-1 — Opened beside older cases", \
        [s.value for s in at.subheader]
    at.text_area(key="case_note_text").set_value("Noted on the new case.")
    _submit(at, "Add note")
    assert [s.value for s in at.subheader][-1] == "OM-NEW-1 — Opened beside older cases"
    st, inv = _session(ui_env, "investigator")
    try:
        rows = {r["reference"]: r for r in inv.cases()}
    finally:
        st.close()
    assert rows["OM-NEW-1"]["notes"] == 1, rows
    assert rows["OM-OLD-1"]["notes"] == 0 and rows["OM-OLD-2"]["notes"] == 0, rows


def test_the_url_names_the_open_case(ui_env: dict[str, Any]) -> None:
    """`?case=<reference>` opens that case; the "Open" box puts its choice in the URL;
    `?from_finding=<id>` (the Findings page's link) preselects that finding."""
    from test_ui_alerts_read import _session

    st, inv = _session(ui_env, "investigator")
    try:
        have = {r["reference"] for r in inv.cases()}
        for ref in ("OM-URL-1", "OM-URL-2"):
            if ref not in have:
                inv.create_case(ref, f"Case {ref}")
        ids = {r["reference"]: r["case_id"] for r in inv.cases()}
    finally:
        st.close()
    at = _app("investigator", "views/cases.py")
    at.query_params["case"] = "OM-URL-1"
    at.query_params["from_finding"] = "F-0002"
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][-1] == "OM-URL-1 — Case OM-URL-1"
    assert str(at.selectbox(key="case_from").value).startswith("F-0002 · ")
    at.selectbox(key="case_pick").set_value(ids["OM-URL-2"]).run()
    assert [s.value for s in at.subheader][-1] == "OM-URL-2 — Case OM-URL-2"
    assert at.query_params["case"] in ("OM-URL-2", ["OM-URL-2"]), at.query_params
    at.query_params["case"] = "OM-NO-SUCH"
    at.run()
    assert "Case 'OM-NO-SUCH' is not in this list" in _texts(at)
