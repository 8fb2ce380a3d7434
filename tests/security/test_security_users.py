"""Local users: scrypt hashes, file mode 0600, proxy single sign-on."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from graphfraud.security.roles import Role
from graphfraud.security.users import (
    User,
    UserFileError,
    add_user,
    list_users,
    remove_user,
    user_from_proxy_header,
    verify,
)

PW = "correct horse battery staple"


@pytest.fixture
def users_path(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "users.json"
    add_user(path, "ann", "analyst", PW)
    add_user(path, "ivo", Role.INVESTIGATOR, "another long password")
    return path


def test_verify_right_and_wrong_password(users_path: Path) -> None:
    assert verify(users_path, "ann", PW) == User("ann", Role.ANALYST)
    assert verify(users_path, "ann", PW + "x") is None
    assert verify(users_path, "ann", "") is None
    assert verify(users_path, "nobody", PW) is None
    assert verify(users_path, "ivo", PW) is None


def test_file_mode_is_0600(users_path: Path) -> None:
    assert stat.S_IMODE(os.stat(users_path).st_mode) == 0o600
    remove_user(users_path, "ivo")
    assert stat.S_IMODE(os.stat(users_path).st_mode) == 0o600


def test_hash_is_salted_scrypt_not_plaintext(users_path: Path) -> None:
    raw = users_path.read_text()
    assert PW not in raw
    data = json.loads(raw)["users"]
    assert data["ann"]["scrypt"] == {"n": 2**14, "r": 8, "p": 1}
    assert len(bytes.fromhex(data["ann"]["salt"])) == 16
    add_user(users_path, "bob", "manager", PW)  # same password, different salt and hash
    data = json.loads(users_path.read_text())["users"]
    assert data["bob"]["salt"] != data["ann"]["salt"]
    assert data["bob"]["hash"] != data["ann"]["hash"]


def test_user_never_carries_the_hash(users_path: Path) -> None:
    user = verify(users_path, "ann", PW)
    assert user is not None
    data = json.loads(users_path.read_text())["users"]["ann"]
    assert data["hash"] not in repr(user) and data["salt"] not in repr(user)
    assert set(vars(user)) == {"username", "role"}


def test_list_and_remove(users_path: Path) -> None:
    assert list_users(users_path) == [User("ann", Role.ANALYST), User("ivo", Role.INVESTIGATOR)]
    assert remove_user(users_path, "ann") is True
    assert remove_user(users_path, "ann") is False
    assert verify(users_path, "ann", PW) is None
    assert list_users(users_path) == [User("ivo", Role.INVESTIGATOR)]


def test_add_rules(users_path: Path) -> None:
    with pytest.raises(UserFileError, match="already exists"):
        add_user(users_path, "ann", "analyst", PW)
    add_user(users_path, "ann", "manager", "a brand new password", replace=True)
    assert verify(users_path, "ann", "a brand new password") == User("ann", Role.MANAGER)
    assert verify(users_path, "ann", PW) is None
    with pytest.raises(UserFileError, match="at least 12"):
        add_user(users_path, "cat", "analyst", "short")
    with pytest.raises(UserFileError, match="not allowed"):
        add_user(users_path, "bad name", "analyst", PW)
    with pytest.raises(ValueError, match="unknown role"):
        add_user(users_path, "dan", "root", PW)


def test_missing_file_has_no_users(tmp_path: Path) -> None:
    assert list_users(tmp_path / "none.json") == []
    assert verify(tmp_path / "none.json", "ann", PW) is None


def test_damaged_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text("{not json")
    with pytest.raises(UserFileError, match="users.json is not valid JSON"):
        list_users(path)


def test_proxy_header(users_path: Path) -> None:
    assert user_from_proxy_header({"X-Remote-User": "ann"}, users_path=users_path) == \
        User("ann", Role.ANALYST)
    assert user_from_proxy_header({"x-remote-user": " ivo "}, users_path=users_path) == \
        User("ivo", Role.INVESTIGATOR)
    assert user_from_proxy_header({"X-Forwarded-User": "ann"}, "X-Forwarded-User",
                                  users_path=users_path) == User("ann", Role.ANALYST)
    for headers in ({}, {"X-Remote-User": ""}, {"X-Remote-User": "mallory"},
                    {"X-Remote-User": "ann,ivo"}, {"X-Remote-User": "ann", "x-remote-user": "ivo"},
                    {"X-Other": "ann"}):
        assert user_from_proxy_header(headers, users_path=users_path) is None, headers
