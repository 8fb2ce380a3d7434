"""Who is asking: passwords (throttled, audited) and login tokens with an expiry.

The same rules hold on the command line and in the workbench:

* no users file, or no user in it: nothing runs until the first admin exists
  (`graphfraud users add NAME --role admin` is the one command allowed then);
* a password is checked against the users file; after `MAX_FAILURES` wrong ones in a
  row a user name is locked for `LOCK_SECONDS` (doubling each time), and every failure
  and lock is audited;
* `graphfraud login` trades a password for a random token: the token file the user
  keeps is 0600 under the home, the server side holds only its SHA-256 and expiry
  (`tokens.json`, 0600). `GRAPHFRAUD_TOKEN` may carry a token instead of the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphfraud.security.audit import AuditLog
from graphfraud.security.filelock import locked
from graphfraud.security.users import User, get_user, list_users, verify

TOKEN_HOURS = 8.0
MAX_FAILURES = 5
LOCK_SECONDS = 60.0


class AuthError(PermissionError):
    """Not authenticated; the message says what to do."""


class NoUsersYet(AuthError):
    """A fresh home: the first admin must be created before anything runs."""


@dataclass(frozen=True)
class Login:
    user: User
    token: str
    expires: float


def users_file(home: Path) -> Path:
    return Path(home) / "users.json"


def _tokens_file(home: Path) -> Path:
    return Path(home) / "tokens.json"


def _failures_file(home: Path) -> Path:
    return Path(home) / "login_failures.json"


def token_file(home: Path) -> Path:
    """Where `graphfraud login` keeps this OS user's token (0600)."""
    return Path(home) / "tokens" / f"{os.getuid()}.token"


def has_users(home: Path) -> bool:
    path = users_file(home)
    return path.exists() and bool(list_users(path))


def require_users(home: Path) -> None:
    if not has_users(home):
        raise NoUsersYet(f"no users yet in {users_file(home)}: create the first admin with "
                         "`graphfraud users add NAME --role admin` (nothing else runs until "
                         "then)")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _audit(home: Path) -> AuditLog:
    return AuditLog(Path(home) / "audit.jsonl")


def authenticate(home: Path, username: str, password: str, *, via: str = "cli",
                 now: float | None = None) -> User:
    """The user if the password is theirs; else `AuthError` (throttled and audited)."""
    require_users(home)
    now = time.time() if now is None else now
    ffile = _failures_file(home)
    with locked(ffile):
        fails = _read_json(ffile)
        entry = fails.get(username) or {}
        until = float(entry.get("locked_until", 0))
        if until > now:
            _audit(home).record("login_failed", username or "?", "none",
                                detail={"via": via, "outcome": "refused",
                                        "reason": "locked"}, result_size=0)
            raise AuthError(f"user {username!r} is locked for {until - now:.0f} s more after "
                            f"{entry.get('count')} wrong passwords")
    user = verify(users_file(home), username, password)
    with locked(ffile):
        fails = _read_json(ffile)
        entry = fails.get(username) or {"count": 0, "locks": 0}
        if user is None:
            entry["count"] = int(entry.get("count", 0)) + 1
            reason = "wrong password or unknown user"
            if entry["count"] >= MAX_FAILURES:
                entry["locks"] = int(entry.get("locks", 0)) + 1
                entry["locked_until"] = now + LOCK_SECONDS * 2 ** (entry["locks"] - 1)
                entry["count"] = 0
                reason += "; locked"
            fails[username] = entry
            _write_json(ffile, fails)
            _audit(home).record("login_failed", username or "?", "none",
                                detail={"via": via, "outcome": "refused", "reason": reason},
                                result_size=0)
            raise AuthError("unknown user or wrong password")
        if username in fails:
            del fails[username]
            _write_json(ffile, fails)
    _audit(home).record("login", user.username, str(user.role),
                        detail={"via": via, "outcome": "ok"}, result_size=1)
    return user


def issue_token(home: Path, user: User, hours: float = TOKEN_HOURS,
                now: float | None = None) -> Login:
    """A new login token for `user` (the server side keeps its hash and expiry)."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    tfile = _tokens_file(home)
    with locked(tfile):
        data = {k: v for k, v in _read_json(tfile).items()
                if float(v.get("expires", 0)) > now}
        data[_digest(token)] = {"user": user.username, "expires": now + hours * 3600}
        _write_json(tfile, data)
    return Login(user, token, now + hours * 3600)


def save_token(home: Path, login: Login) -> Path:
    path = token_file(home)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(login.token)
    os.chmod(path, 0o600)
    return path


def revoke(home: Path, token: str) -> bool:
    tfile = _tokens_file(home)
    with locked(tfile):
        data = _read_json(tfile)
        gone = data.pop(_digest(token), None) is not None
        _write_json(tfile, data)
    return gone


def user_for_token(home: Path, token: str, now: float | None = None) -> User:
    """The user a token stands for; `AuthError` if unknown, expired or the user left."""
    require_users(home)
    now = time.time() if now is None else now
    entry = _read_json(_tokens_file(home)).get(_digest(token.strip()))
    if not entry:
        raise AuthError("the login token is not known (log in again: `graphfraud login`)")
    if float(entry.get("expires", 0)) <= now:
        raise AuthError("the login token has expired (log in again: `graphfraud login`)")
    user = get_user(users_file(home), str(entry.get("user")))
    if user is None:
        raise AuthError(f"user {entry.get('user')!r} no longer exists")
    return user


def current_token(home: Path, env: dict[str, str] | None = None) -> str | None:
    """The token from GRAPHFRAUD_TOKEN, else this OS user's token file."""
    env = dict(os.environ if env is None else env)
    if env.get("GRAPHFRAUD_TOKEN"):
        return env["GRAPHFRAUD_TOKEN"]
    path = token_file(home)
    try:
        mode = path.stat().st_mode & 0o077
    except FileNotFoundError:
        return None
    if mode:
        raise AuthError(f"{path} is readable by others; delete it and log in again")
    return path.read_text(encoding="utf-8").strip() or None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- workbench session tokens ------------------------------------------------------------
#
# The workbench keeps a sign-in across reloads with a signed token in a cookie (see
# `ui/common.py`): `payload.signature`, the payload naming the user, role, expiry and a
# random nonce, the signature an HMAC-SHA256 under `session.key` (32 random bytes, 0600,
# in the home, made like `pseudonym.key`). Nothing but the revocations is stored: signing
# out puts the nonce in `revoked_sessions.json` (0600) until the token would have expired.

SESSION_COOKIE = "gf_session"


def _session_key(home: Path) -> bytes:
    from graphfraud.security.pseudonym import load_or_create_secret

    return load_or_create_secret(Path(home) / "session.key")


def _revoked_file(home: Path) -> Path:
    return Path(home) / "revoked_sessions.json"


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(home: Path, payload: str) -> str:
    import hmac

    return _b64(hmac.new(_session_key(home), payload.encode("ascii"), hashlib.sha256).digest())


@dataclass(frozen=True)
class SessionToken:
    token: str
    username: str
    role: str
    expires: float
    nonce: str


def issue_session_token(home: Path, user: User, hours: float = TOKEN_HOURS,
                        now: float | None = None) -> SessionToken:
    """A signed workbench token for `user`, valid `hours` from `now`."""
    now = time.time() if now is None else now
    nonce = secrets.token_urlsafe(12)
    body = {"u": user.username, "r": str(user.role), "exp": round(now + hours * 3600, 3),
            "n": nonce}
    payload = _b64(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    return SessionToken(f"{payload}.{_sign(home, payload)}", user.username, str(user.role),
                        float(body["exp"]), nonce)


def read_session_token(home: Path, token: str, now: float | None = None) -> SessionToken:
    """The token's contents if its signature holds and it is neither expired nor revoked;
    else `AuthError` saying which."""
    import hmac

    now = time.time() if now is None else now
    payload, _, sig = (token or "").strip().partition(".")
    if not payload or not sig or not hmac.compare_digest(sig, _sign(home, payload)):
        raise AuthError("the sign-in is not valid (bad signature): sign in again")
    try:
        body = json.loads(_unb64(payload))
        parsed = SessionToken(token.strip(), str(body["u"]), str(body["r"]),
                              float(body["exp"]), str(body["n"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AuthError(f"the sign-in is not readable ({exc}): sign in again") from exc
    if parsed.expires <= now:
        raise AuthError("the sign-in has expired: sign in again")
    if parsed.nonce in _read_json(_revoked_file(home)):
        raise AuthError("the sign-in was ended (signed out): sign in again")
    return parsed


def user_for_session_token(home: Path, token: str, now: float | None = None) -> User:
    """The user a workbench token stands for, as the users file has them now: a user who
    left, or whose role changed since, must sign in again."""
    require_users(home)
    parsed = read_session_token(home, token, now)
    return active_user(home, parsed.username, parsed.role)


def active_user(home: Path, username: str, role: str) -> User:
    """The user as the users file has them now, if still active with `role`; else
    `AuthError` saying why (disabled, gone, role changed): a sign-in ends with them."""
    from graphfraud.security.users import user_entries

    user = get_user(users_file(home), username)
    if user is None:
        gone = not any(e.username == username for e in user_entries(users_file(home)))
        raise AuthError(f"user {username!r} no longer exists" if gone else
                        f"the account {username!r} was disabled by an admin: signed out")
    if str(user.role) != str(role):
        raise AuthError(f"the role of {username!r} changed: sign in again")
    return user


def revoke_session_token(home: Path, token: str, now: float | None = None) -> bool:
    """End a workbench sign-in (sign-out): its nonce is refused until it would expire.
    False when the token was not valid anyway."""
    now = time.time() if now is None else now
    try:
        parsed = read_session_token(home, token, now)
    except AuthError:
        return False
    rfile = _revoked_file(home)
    with locked(rfile):
        data = {k: v for k, v in _read_json(rfile).items() if float(v) > now}
        data[parsed.nonce] = parsed.expires
        _write_json(rfile, data)
    return True
