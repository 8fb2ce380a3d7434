"""Local users: a small JSON file of user names, roles and salted scrypt hashes.

The file is created with mode 0600 and rewritten atomically (temporary file, then
rename) under a lock, so a crash never leaves half a file. Passwords are hashed with
scrypt (n=2**14, r=8, p=1, a 16-byte random salt per user) and compared in constant
time. Nothing here logs or returns a hash: `User` holds the name and role only.

Behind a reverse proxy that authenticates users (single sign-on), the proxy passes the
user name in a header (`X-Remote-User`); `user_from_proxy_header` trusts it only for
users that exist in the file, who get the role recorded there. Only use this when the
app listens on 127.0.0.1 behind the proxy and the proxy removes the header from
client requests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphfraud.security.filelock import locked as _locked
from graphfraud.security.roles import Role, as_role

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 12
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_FILE_VERSION = 1


@dataclass(frozen=True)
class User:
    """A signed-in user: a name and a role, never a password hash."""

    username: str
    role: Role


class UserFileError(ValueError):
    """The user file or a request to change it is wrong; the message says how."""


def _hash(password: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R,
          p: int = SCRYPT_P) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * r * n * p * 2, dklen=HASH_BYTES)


# A fixed entry to hash against for unknown users, so a miss costs the same time.
_DUMMY_SALT = bytes(SALT_BYTES)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"version": _FILE_VERSION, "users": {}}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UserFileError(f"user file {path} is not valid JSON (line {exc.lineno}): "
                            f"{exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
        raise UserFileError(f"user file {path} has no 'users' object")
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise




def _check_username(username: str) -> str:
    if not isinstance(username, str) or not _USERNAME.match(username):
        raise UserFileError(
            f"user name {username!r} is not allowed: 1-64 characters, letters, digits "
            "and . _ @ -, starting with a letter or digit")
    return username


def add_user(path: str | os.PathLike[str], username: str, role: Role | str, password: str,
             *, replace: bool = False) -> User:
    """Add a user (or, with `replace=True`, reset their role and password)."""
    p = Path(path)
    _check_username(username)
    the_role = as_role(role)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserFileError(f"the password for {username!r} must have at least "
                            f"{MIN_PASSWORD_LENGTH} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    entry = {
        "role": the_role.value,
        "scrypt": {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "salt": salt.hex(),
        "hash": _hash(password, salt).hex(),
        "changed": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with _locked(p):
        data = _read(p)
        if username in data["users"] and not replace:
            raise UserFileError(f"user {username!r} already exists in {p}; "
                                "use replace=True to reset the password or role")
        data["users"][username] = entry
        _write(p, data)
    return User(username, the_role)


def remove_user(path: str | os.PathLike[str], username: str) -> bool:
    """Remove a user; False if there was none by that name."""
    p = Path(path)
    with _locked(p):
        data = _read(p)
        if username not in data["users"]:
            return False
        del data["users"][username]
        _write(p, data)
    return True


def list_users(path: str | os.PathLike[str]) -> list[User]:
    """Every user with their role, sorted by name (no hashes)."""
    data = _read(Path(path))
    return [User(name, as_role(entry["role"])) for name, entry in sorted(data["users"].items())]


def get_user(path: str | os.PathLike[str], username: str) -> User | None:
    """The user by that name; None if there is none or they are disabled."""
    entry = _read(Path(path))["users"].get(username)
    if not isinstance(entry, dict) or entry.get("disabled"):
        return None
    return User(username, as_role(entry["role"]))


def verify(path: str | os.PathLike[str], username: str, password: str) -> User | None:
    """The user if `password` is theirs, else None (unknown users take as long)."""
    entry = _read(Path(path))["users"].get(username) if isinstance(username, str) else None
    if not isinstance(entry, dict) or not isinstance(password, str) or entry.get("disabled"):
        hmac.compare_digest(_hash(str(password), _DUMMY_SALT), bytes(HASH_BYTES))
        return None
    params = entry.get("scrypt", {})
    computed = _hash(password, bytes.fromhex(entry["salt"]), int(params.get("n", SCRYPT_N)),
                     int(params.get("r", SCRYPT_R)), int(params.get("p", SCRYPT_P)))
    if hmac.compare_digest(computed, bytes.fromhex(entry["hash"])):
        return User(username, as_role(entry["role"]))
    return None


def user_from_proxy_header(headers: Mapping[str, str], trusted_header: str = "X-Remote-User",
                           *, users_path: str | os.PathLike[str]) -> User | None:
    """The user a trusted reverse proxy names in `trusted_header`, if they are in the
    user file; None for a missing, empty, repeated or unknown name."""
    wanted = trusted_header.lower()
    values = [v for k, v in headers.items() if k.lower() == wanted]
    if len(values) != 1 or not isinstance(values[0], str):
        return None
    name = values[0].strip()
    if not name or "," in name or not _USERNAME.match(name):
        return None
    return get_user(users_path, name)


# --- user management from the admins' page (issue #18) ----------------------------------
@dataclass(frozen=True)
class UserEntry:
    """What the admins' page lists of a user: never a hash or a salt."""

    username: str
    role: Role
    disabled: bool
    changed: str


def user_entries(path: str | os.PathLike[str]) -> list[UserEntry]:
    """Every user with role, disabled flag and last change, sorted by name."""
    data = _read(Path(path))
    return [UserEntry(name, as_role(e["role"]), bool(e.get("disabled")), str(e.get("changed", "")))
            for name, e in sorted(data["users"].items())]


def _change(path: str | os.PathLike[str], username: str, **fields: Any) -> UserEntry:
    p = Path(path)
    with _locked(p):
        data = _read(p)
        entry = data["users"].get(username)
        if not isinstance(entry, dict):
            raise UserFileError(f"there is no user {username!r} in {p}")
        entry.update(fields)
        entry["changed"] = datetime.now(UTC).isoformat(timespec="seconds")
        _write(p, data)
    return UserEntry(username, as_role(entry["role"]), bool(entry.get("disabled")),
                     entry["changed"])


def set_disabled(path: str | os.PathLike[str], username: str, disabled: bool) -> UserEntry:
    """Disable a user (no sign-in, no token, no proxy login) or enable them again."""
    return _change(path, username, disabled=bool(disabled))


def set_role(path: str | os.PathLike[str], username: str, role: Role | str) -> UserEntry:
    return _change(path, username, role=as_role(role).value)


def set_password(path: str | os.PathLike[str], username: str, password: str) -> UserEntry:
    """A new password for an existing user (role and state kept)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserFileError(f"the password for {username!r} must have at least "
                            f"{MIN_PASSWORD_LENGTH} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    return _change(path, username, salt=salt.hex(), hash=_hash(password, salt).hex(),
                   scrypt={"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P})
