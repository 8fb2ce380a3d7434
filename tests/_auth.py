"""The one way tests authenticate: local users per role in a test home, and the
environment of a CLI process logged in as one of them (a token in GRAPHFRAUD_TOKEN)."""

from __future__ import annotations

from pathlib import Path

ROLES = ("admin", "investigator", "analyst", "manager")
PASSWORD = "test-password-1234"  # a test home's users only


def user_name(role: str) -> str:
    return f"t-{role}"


def make_users(home: Path) -> None:
    """One user per role in `home` (idempotent)."""
    from graphfraud.security.users import add_user, get_user

    path = Path(home) / "users.json"
    for role in ROLES:
        if not path.exists() or get_user(path, user_name(role)) is None:
            add_user(path, user_name(role), role, PASSWORD, replace=True)


def login_env(env: dict[str, str], role: str = "admin", home: Path | None = None,
              ) -> dict[str, str]:
    """`env` with GRAPHFRAUD_TOKEN for the test user of `role` in `home` (default:
    the env's GRAPHFRAUD_HOME); the users are made if missing."""
    from graphfraud.security.auth import issue_token
    from graphfraud.security.users import User

    home = Path(home or env["GRAPHFRAUD_HOME"])
    make_users(home)
    token = issue_token(home, User(user_name(role), role)).token
    return {**env, "GRAPHFRAUD_HOME": str(home), "GRAPHFRAUD_TOKEN": token}
