"""A user disabled on the admin page while signed in is signed out on their next page run
(the Session checks the account on every request, not only when the token expires)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from _auth import PASSWORD
from conftest import APP
from streamlit.testing.v1 import AppTest
from test_ui_apptest import _signin, _texts

from graphfraud.security.users import add_user, set_disabled


def test_a_disabled_user_is_signed_out_on_the_next_run(ui_env: dict[str, Any]) -> None:
    users = Path(ui_env["home"]) / "users.json"
    add_user(users, "t-leaver", "investigator", PASSWORD, replace=True)
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        _signin(at, "t-leaver", PASSWORD)
        at.switch_page("views/explorer.py").run()
        assert "GraphFraud — Explorer" in _texts(at)
        assert "Signed in as **t-leaver**" in "".join(m.value for m in at.sidebar.markdown)
        set_disabled(users, "t-leaver", True)  # an admin disables the account
        at.run()  # the person's next click
        assert not at.exception, at.exception
        sidebar = "".join(m.value for m in at.sidebar.markdown) + "".join(
            str(i.value) for i in at.sidebar.info)
        assert "Signed in as" not in sidebar
        assert "the account 't-leaver' was disabled by an admin" in sidebar, sidebar
        assert "Sign in in the sidebar to open Explorer" in _texts(at)
        assert not [t for t in at.text_input if t.key == "x_query"]  # no explorer
        assert at.sidebar.text_input(key="login_user") is not None  # the sign-in form
        _signin(at, "t-leaver", PASSWORD)  # and the password no longer opens it
        assert "Signed in as" not in "".join(m.value for m in at.sidebar.markdown)
    finally:
        set_disabled(users, "t-leaver", True)
