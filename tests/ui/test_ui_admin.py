"""The admins' page in-process (AppTest): the audit log filtered by user and action, the
chain verified, a user added, disabled and given a new role — each change audited — and
no page for any other role."""

from __future__ import annotations

from typing import Any

import pytest
from _auth import user_name
from test_ui_apptest import _app, _audit, _texts

from graphfraud.security.auth import AuthError, authenticate


def test_admin_filters_the_audit_log_and_verifies_the_chain(ui_env: dict[str, Any]) -> None:
    at = _app("admin", page="views/admin.py")
    assert "GraphFraud — Admin" in _texts(at)
    at.text_input(key="ad_user").set_value(user_name("admin"))
    at.selectbox(key="ad_action").set_value("login").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert set(table["user"]) == {user_name("admin")} and set(table["action"]) == {"login"}
    at.button(key="ad_verify").click().run()
    assert any(s.value.startswith("Chain intact:") for s in at.success), _texts(at)


def test_admin_adds_disables_and_changes_a_user(ui_env: dict[str, Any]) -> None:
    home = ui_env["home"]
    at = _app("admin", page="views/admin.py")
    at.text_input(key="ad_new_name").set_value("new-analyst")
    at.selectbox(key="ad_new_role").set_value("analyst")
    at.text_input(key="ad_new_pw").set_value("a-new-password-77")
    at.text_input(key="ad_new_pw2").set_value("a-new-password-77")
    next(b for b in at.button if b.label == "Add user").click().run()
    assert not at.exception, at.exception
    assert "User 'new-analyst' added as analyst." in _texts(at)
    users = at.dataframe[-1].value
    assert "new-analyst" in set(users["user"])
    assert authenticate(home, "new-analyst", "a-new-password-77").role == "analyst"
    at.selectbox(key="ad_target").set_value("new-analyst").run()
    at.button(key="ad_toggle").click().run()
    assert "new-analyst is now disabled." in _texts(at)
    with pytest.raises(AuthError):
        authenticate(home, "new-analyst", "a-new-password-77")
    at.selectbox(key="ad_target").set_value("new-analyst").run()
    at.selectbox(key="ad_role").set_value("manager").run()
    at.button(key="ad_set_role").click().run()
    assert "new-analyst is now manager." in _texts(at)
    changes = [(r["action"], r["detail"]["target"]) for r in _audit(home)
               if r["action"] in ("user_add", "user_disable", "user_role")
               and r["detail"].get("target") == "new-analyst"]
    assert changes == [("user_add", "new-analyst"), ("user_disable", "new-analyst"),
                       ("user_role", "new-analyst")]


@pytest.mark.parametrize("role", ["investigator", "analyst", "manager"])
def test_no_admin_page_for_other_roles(ui_env: dict[str, Any], role: str) -> None:
    at = _app(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/admin.py")  # not among this user's pages at all
    assert "GraphFraud — Admin" not in _texts(at)
