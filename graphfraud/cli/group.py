"""The command group and what every command shares: the store option, the
logged-in user, the permission check and the one audit record per command."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from graphfraud.config import STORES, ConfigError, Settings, load_settings

STORE_OPTION = click.option(
    "--store", type=click.Choice(STORES), default=None,
    help="Graph store to use (default: GRAPHFRAUD_STORE, else the embedded graph).")


def _settings(store: str | None = None) -> Settings:
    from graphfraud.config import secure_home

    try:
        settings = load_settings(store=store)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    secure_home(settings.home)
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphfraud")
def main() -> None:
    """GraphFraud: a graph workbench for excise-fraud investigation."""
    os.umask(0o077)  # police data: every file this process makes is its owner's only


# --- authentication and the one audit record per command ---------------------------
def cli_user(settings: Settings):
    """Who runs this command: the user of the login token (GRAPHFRAUD_TOKEN or the
    token file `graphfraud login` wrote). The OS login alone is not enough."""
    from graphfraud.security.auth import AuthError, current_token, require_users, user_for_token

    require_users(settings.home)
    token = current_token(settings.home)
    if not token:
        raise AuthError("not logged in: run `graphfraud login NAME` (or set GRAPHFRAUD_TOKEN)")
    return user_for_token(settings.home, token)


def _command_record(settings: Settings, user: Any, command: str, outcome: str,
                    detail: dict[str, Any] | None = None) -> None:
    from graphfraud.security.audit import AuditLog
    from graphfraud.security.session import audit_path

    name = getattr(user, "username", None) or str(user or "?")
    role = str(getattr(user, "role", "none"))
    AuditLog(audit_path(settings)).record("command", name, role,
                                          detail={"command": command, "outcome": outcome,
                                                  **(detail or {})})


def guarded(command: str, *, audited: bool = True) -> Callable[[Callable[..., Any]],
                                                                 Callable[..., Any]]:
    """Authenticate, check `command`'s permission, run it with its output held back,
    write its audit record (refused / failed / ok), then let the output out."""
    from graphfraud.security.roles import COMMANDS

    perm = COMMANDS[command]

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from graphfraud.security.audit import AuditError
            from graphfraud.security.auth import AuthError
            from graphfraud.security.roles import PermissionDenied, require

            settings = _settings(kwargs.get("store"))
            ctx = click.get_current_context()
            try:
                user = ctx.meta.get("gf_user") or cli_user(settings)
                if perm is not None:
                    require(user, perm)
            except (AuthError, PermissionDenied) as exc:
                with contextlib.suppress(AuditError, OSError):
                    who = locals().get("user")
                    _command_record(settings, who, command, "refused",
                                    {"reason": str(exc)})
                raise click.ClickException(str(exc)) from None
            ctx.meta["gf_user"] = user
            out = io.StringIO()
            outcome, code = "ok", 0
            try:
                with contextlib.redirect_stdout(out):
                    fn(*args, **kwargs)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                outcome = "ok" if code == 0 else "failed"
            except click.ClickException:
                outcome = "failed"
                if audited:
                    _safe_record(settings, user, command, outcome)
                raise
            except Exception:
                if audited:
                    _safe_record(settings, user, command, "failed")
                raise
            if audited:
                try:
                    _command_record(settings, user, command, outcome)
                except (AuditError, OSError) as exc:
                    raise click.ClickException(f"refused: the audit record could not be "
                                               f"written ({exc}); no output") from None
            sys.stdout.write(out.getvalue())
            sys.stdout.flush()
            if code:
                sys.exit(code)
        return wrapper
    return deco


def _safe_record(settings: Settings, user: Any, command: str, outcome: str) -> None:
    from graphfraud.security.audit import AuditError

    with contextlib.suppress(AuditError, OSError):
        _command_record(settings, user, command, outcome)
