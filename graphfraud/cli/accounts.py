"""Accounts and the audit log: login, logout, whoami, users, audit."""

from __future__ import annotations

import sys

import click

from graphfraud.cli.group import _settings, guarded, main
from graphfraud.cli.output import FORMATS, format_rows, safe_rows


@main.command()
@click.argument("username")
@click.option("--hours", default=8.0, show_default=True, help="How long the login lasts.")
@click.option("--print-token", is_flag=True,
              help="Print the token (for GRAPHFRAUD_TOKEN) instead of keeping it in a file.")
def login(username: str, hours: float, print_token: bool) -> None:
    """Log in (asks for the password): a token, 0600 under the home, with an expiry."""
    from graphfraud.security.auth import AuthError, authenticate, issue_token, save_token

    settings = _settings()
    password = click.prompt("Password", hide_input=True)
    try:
        user = authenticate(settings.home, username, password, via="cli")
    except AuthError as exc:
        raise click.ClickException(str(exc)) from None
    session = issue_token(settings.home, user, hours)
    if print_token:
        click.echo(session.token)
        return
    path = save_token(settings.home, session)
    click.echo(f"logged in as {user.username} ({user.role}) for {hours:g} h; token in {path}")


@main.command()
def logout() -> None:
    """Forget this OS user's login token."""
    from graphfraud.security.auth import current_token, revoke, token_file

    settings = _settings()
    token = current_token(settings.home)
    if token:
        revoke(settings.home, token)
    token_file(settings.home).unlink(missing_ok=True)
    click.echo("logged out")


@main.command()
@guarded("whoami", audited=False)
def whoami() -> None:
    """Say who is logged in, and the role."""
    user = click.get_current_context().meta["gf_user"]
    click.echo(f"{user.username} ({user.role})")


@main.group()
def users() -> None:
    """Local users of the workbench (salted scrypt password hashes, file mode 0600)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["investigator", "analyst", "manager", "admin"]),
              required=True)
@click.password_option(prompt=True)
@click.option("--replace", is_flag=True)
def users_add(username: str, role: str, password: str, replace: bool) -> None:
    """Add a user (asks for the password twice). In a fresh home this makes the first
    admin, and nothing else runs until then."""
    from graphfraud.security.auth import has_users
    from graphfraud.security.users import User

    settings = _settings()
    if not has_users(settings.home):
        if role != "admin":
            raise click.ClickException("no users yet: the first user must be an admin "
                                       f"(`graphfraud users add {username} --role admin`)")
        click.get_current_context().meta["gf_user"] = User(username, "admin")
    _users_add(username, role, password, replace)


@guarded("users add")
def _users_add(username: str, role: str, password: str, replace: bool) -> None:
    from graphfraud.security.session import users_path
    from graphfraud.security.users import UserFileError, add_user

    settings = _settings()
    try:
        add_user(users_path(settings), username, role, password, replace=replace)
    except UserFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"user {username} ({role}) saved in {users_path(settings)}")


@users.command("list")
@guarded("users list")
def users_list() -> None:
    """List users and roles (never their hashes)."""
    from graphfraud.security.session import users_path
    from graphfraud.security.users import list_users

    rows = [{"user": u.username, "role": str(u.role)}
            for u in list_users(users_path(_settings()))]
    click.echo(format_rows(rows))


@users.command("remove")
@click.argument("username")
@guarded("users remove")
def users_remove(username: str) -> None:
    from graphfraud.security.session import users_path
    from graphfraud.security.users import remove_user

    gone = remove_user(users_path(_settings()), username)
    click.echo(f"removed {username}" if gone else f"no user {username}")


@main.group()
def audit() -> None:
    """The audit log: every login, search, view, query, export and decision."""


@audit.command("verify")
@guarded("audit verify")
def audit_verify() -> None:
    """Check the hash chain; exits 1 and names the first bad record if it was altered."""
    from graphfraud.security.audit import verify
    from graphfraud.security.session import audit_path

    path = audit_path(_settings())
    if not path.exists():
        click.echo(f"no audit log yet at {path}")
        return
    result = verify(path)
    if result.ok:
        click.echo(f"audit log intact: {result.records} records ({path})")
        return
    click.echo(f"AUDIT LOG ALTERED at record seq {result.first_bad_seq} (line "
               f"{result.first_bad_line}): {result.reason}", err=True)
    sys.exit(1)


@audit.command("show")
@click.option("--user", "user_name", default=None)
@click.option("--since", default=None, help="YYYY-MM-DD")
@click.option("--action", default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@guarded("audit show")
def audit_show(user_name: str | None, since: str | None, action: str | None, fmt: str) -> None:
    """Read the audit log, filtered by user, date and action."""
    import datetime as dt

    from graphfraud.security.audit import read
    from graphfraud.security.session import audit_path

    path = audit_path(_settings())
    if not path.exists():
        click.echo("(no audit log yet)")
        return
    from graphfraud.security.audit import redact_detail
    from graphfraud.security.roles import Permission, can

    user = click.get_current_context().meta["gf_user"]
    when = dt.date.fromisoformat(since) if since else None
    persons = can(user, Permission.VIEW_PERSONS)
    rows = [{k: (r.get(k) if k != "detail" or persons else redact_detail(r.get(k)))
             for k in ("seq", "time", "user", "role", "action", "purpose", "case_ref",
                       "result_size", "detail")}
            for r in read(path, user=user_name, since=when, action=action)]
    click.echo(format_rows(safe_rows(rows, fmt), fmt))
