"""Workbench session tokens: signed (HMAC under a 0600 key in the home), with an expiry,
revoked on sign-out, and bound to the user's current role."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from graphfraud.security.auth import (
    AuthError,
    issue_session_token,
    read_session_token,
    revoke_session_token,
    user_for_session_token,
)
from graphfraud.security.users import User, add_user

PASSWORD = "test-password-1234"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    add_user(tmp_path / "users.json", "ann", "investigator", PASSWORD)
    return tmp_path


def test_token_names_its_user_and_key_is_private(home: Path) -> None:
    tok = issue_session_token(home, User("ann", "investigator"), hours=1, now=1000.0)
    assert user_for_session_token(home, tok.token, now=1001.0).username == "ann"
    key = home / "session.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes().strip()) >= 32
    assert "ann" not in tok.token.split(".")[1]  # the signature is not the payload


def test_token_expires(home: Path) -> None:
    tok = issue_session_token(home, User("ann", "investigator"), hours=1, now=1000.0)
    read_session_token(home, tok.token, now=1000.0 + 3599)
    with pytest.raises(AuthError, match="expired"):
        read_session_token(home, tok.token, now=1000.0 + 3600)


def test_tampered_or_foreign_token_is_refused(home: Path, tmp_path_factory) -> None:
    tok = issue_session_token(home, User("ann", "investigator"), hours=1)
    payload, sig = tok.token.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + sig
    for bad in (forged, payload, "", "x.y", tok.token + "x"):
        with pytest.raises(AuthError):
            read_session_token(home, bad)
    other = tmp_path_factory.mktemp("other")  # another home has another key
    add_user(other / "users.json", "ann", "investigator", PASSWORD)
    with pytest.raises(AuthError, match="signature"):
        user_for_session_token(other, tok.token)


def test_sign_out_revokes(home: Path) -> None:
    tok = issue_session_token(home, User("ann", "investigator"), hours=1)
    keep = issue_session_token(home, User("ann", "investigator"), hours=1)
    assert revoke_session_token(home, tok.token) is True
    with pytest.raises(AuthError, match="signed out"):
        user_for_session_token(home, tok.token)
    assert user_for_session_token(home, keep.token).username == "ann"  # only that one
    assert stat.S_IMODE((home / "revoked_sessions.json").stat().st_mode) == 0o600
    assert revoke_session_token(home, "not-a-token") is False


def test_role_change_or_removed_user_ends_the_sign_in(home: Path) -> None:
    tok = issue_session_token(home, User("ann", "investigator"), hours=1)
    add_user(home / "users.json", "ann", "analyst", PASSWORD, replace=True)
    with pytest.raises(AuthError, match="role"):
        user_for_session_token(home, tok.token)
    ghost = issue_session_token(home, User("bob", "admin"), hours=1)
    with pytest.raises(AuthError, match="no longer exists"):
        user_for_session_token(home, ghost.token)
