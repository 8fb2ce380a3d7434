"""A Session that checks the account (the workbench's) refuses every request once the
user is disabled, removed or given another role while signed in, and the audit log
records the refusal; a Session without the check (scripts, tests) is unchanged."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from graphfraud.security import Permission, User, read_audit
from graphfraud.security.auth import AuthError
from graphfraud.security.session import Session
from graphfraud.security.users import add_user, set_disabled, set_role


def _home(settings: Any, tmp_path: Any) -> Any:
    s = replace(settings, home=tmp_path / "home")
    s.home.mkdir(parents=True)
    add_user(s.home / "users.json", "t-admin", "admin", "admin-password-1234")
    add_user(s.home / "users.json", "t-inv", "investigator", "inv-password-1234")
    return s


def test_a_disabled_account_can_do_nothing_more(settings: Any, tmp_path: Any) -> None:
    s = _home(settings, tmp_path)
    sess = Session(None, s, User("t-inv", "investigator"), check_account=True)
    assert sess.findings() is None  # no run yet, but allowed
    set_disabled(s.home / "users.json", "t-inv", True)
    with pytest.raises(AuthError, match="'t-inv' was disabled by an admin"):
        sess.findings()
    with pytest.raises(AuthError, match="disabled"):
        sess.risk(["1"])
    with pytest.raises(AuthError, match="disabled"):
        sess.aggregate("count_by_label")
    refused = [r for r in read_audit(s.home / "audit.jsonl")
               if (r.get("detail") or {}).get("outcome") == "refused"]
    assert refused and "disabled" in str(refused[-1]), refused
    set_disabled(s.home / "users.json", "t-inv", False)
    assert sess.findings() is None  # enabled again: the same sign-in works


def test_a_changed_role_or_removed_user_is_refused(settings: Any, tmp_path: Any) -> None:
    s = _home(settings, tmp_path)
    sess = Session(None, s, User("t-inv", "investigator"), check_account=True)
    set_role(s.home / "users.json", "t-inv", "manager")
    with pytest.raises(AuthError, match="role of 't-inv' changed"):
        sess.findings()
    ghost = Session(None, s, User("t-ghost", "investigator"), check_account=True)
    with pytest.raises(AuthError, match="no longer exists"):
        ghost.findings()
    unchecked = Session(None, s, User("t-ghost", "investigator"))
    assert unchecked.findings() is None and unchecked.can(Permission.VIEW_FINDINGS)
