"""The admins' Session methods: the audit log filtered and verified, users added,
disabled, given a new password or role; every change audited; every other role refused
(and the refusal audited); no admin can lock the team out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graphfraud.security import PermissionDenied, User, add_user, read_audit
from graphfraud.security.auth import AuthError, authenticate
from graphfraud.security.session import Session
from graphfraud.security.users import UserFileError, user_entries

PW = "a-long-password-1"


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Any:
    s = replace(settings, home=tmp_path / "home")
    s.home.mkdir(mode=0o700)
    add_user(s.home / "users.json", "root", "admin", PW)
    add_user(s.home / "users.json", "ivo", "investigator", PW)
    return s


def _admin(s: Any) -> Session:
    return Session(None, s, User("root", "admin"))


def test_audit_page_filters_by_user_action_and_time_and_verifies(home: Any) -> None:
    authenticate(home.home, "ivo", PW, via="test")
    with pytest.raises(AuthError):
        authenticate(home.home, "ivo", "wrong-password-9", via="test")
    admin = _admin(home)
    ivo = admin.audit_records(user="ivo")
    assert [r["action"] for r in ivo] == ["login_failed", "login"]  # newest first
    assert [r["action"] for r in admin.audit_records(action="login")] == ["login"]
    assert admin.audit_records(until=date(2000, 1, 1)) == []
    assert admin.audit_records(since=date(2999, 1, 1)) == []
    res = admin.verify_audit()
    assert res.ok and res.records >= 3
    actions = [r["action"] for r in read_audit(home.home / "audit.jsonl")]
    assert actions.count("audit_read") == 4 and actions[-1] == "audit_verify"


def test_a_broken_chain_is_reported(home: Any) -> None:
    admin = _admin(home)
    admin.audit_records()
    log = home.home / "audit.jsonl"
    lines = log.read_text().splitlines()
    lines[0] = lines[0].replace('"audit_read"', '"query"')
    log.write_text("\n".join(lines) + "\n")
    res = admin.verify_audit()
    assert not res.ok and res.first_bad_seq == 1


def test_user_management_is_audited_and_takes_effect(home: Any) -> None:
    admin = _admin(home)
    admin.add_user("ana", "analyst", PW)
    assert authenticate(home.home, "ana", PW).role == "analyst"
    admin.change_role("ana", "manager")
    assert authenticate(home.home, "ana", PW).role == "manager"
    admin.reset_password("ana", "another-password-2")
    with pytest.raises(AuthError):
        authenticate(home.home, "ana", PW)
    assert authenticate(home.home, "ana", "another-password-2").username == "ana"
    admin.set_user_disabled("ana", True)
    with pytest.raises(AuthError):
        authenticate(home.home, "ana", "another-password-2")
    assert {e.username: e.disabled for e in admin.user_list()} == {
        "ana": True, "ivo": False, "root": False}
    admin.set_user_disabled("ana", False)
    assert authenticate(home.home, "ana", "another-password-2").role == "manager"
    records = [r for r in read_audit(home.home / "audit.jsonl") if r["user"] == "root"]
    changes = [(r["action"], r["detail"].get("target")) for r in records
               if r["action"].startswith("user_") and r["action"] != "user_list"]
    assert changes == [("user_add", "ana"), ("user_role", "ana"), ("user_password", "ana"),
                       ("user_disable", "ana"), ("user_enable", "ana")]
    assert all(r["detail"]["outcome"] == "ok" for r in records)
    assert "hash" not in str([r["detail"] for r in records]).replace("prev_hash", "")


def test_the_last_admin_cannot_be_disabled_or_demoted(home: Any) -> None:
    admin = _admin(home)
    with pytest.raises(UserFileError):
        admin.set_user_disabled("root", True)
    with pytest.raises(UserFileError):
        admin.change_role("root", "analyst")
    assert [e.role for e in user_entries(home.home / "users.json")
            if e.username == "root"] == ["admin"]
    failed = [r for r in read_audit(home.home / "audit.jsonl")
              if r["action"] in ("user_disable", "user_role")]
    assert [r["detail"]["outcome"] for r in failed] == ["failed", "failed"]


@pytest.mark.parametrize("role", ["investigator", "analyst", "manager"])
def test_other_roles_are_refused_and_the_refusal_is_audited(home: Any, role: str) -> None:
    sess = Session(None, home, User("ivo", role))
    calls = [lambda: sess.audit_records(), sess.verify_audit, sess.user_list,
             lambda: sess.add_user("eve", "admin", PW),
             lambda: sess.set_user_disabled("root", True),
             lambda: sess.reset_password("root", "taken-over-password"),
             lambda: sess.change_role("ivo", "admin")]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert authenticate(home.home, "root", PW).role == "admin"
    assert [e.username for e in user_entries(home.home / "users.json")] == ["ivo", "root"]
    refused = [r for r in read_audit(home.home / "audit.jsonl")
               if r["detail"].get("outcome") == "refused"]
    assert len(refused) == len(calls)
