"""The `graphfraud` command line: thin wrappers over the core, one command per job.

Every command needs an authenticated user (`graphfraud login`, or a token in
GRAPHFRAUD_TOKEN) whose role has the command's permission (`roles.COMMANDS`); a fresh
home runs nothing but `users add NAME --role admin` (the first admin) and `demo` (which
makes its own local demo users and says so). Each command writes one audit record
with its outcome, and its output leaves only after that record is written.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import click

from graphfraud.cli.output import FORMATS, format_rows
from graphfraud.config import STORES, ConfigError, Settings, load_settings
from graphfraud.detect.registry import kinds as detector_kinds

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


# --- neo4j -------------------------------------------------------------------------
@main.group()
def neo4j() -> None:
    """Run the local Neo4j (Community 5.26 with APOC and GDS), no Docker needed."""


@neo4j.command("install")
@guarded("neo4j install")
def neo4j_install() -> None:
    """Fetch the pinned Neo4j, APOC and GDS jars with Maven (cached)."""
    from graphfraud.servers import neo4j_local

    try:
        runtime = neo4j_local.install(quiet=False)
    except neo4j_local.Neo4jSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Neo4j jars ready in {runtime.dir}")


@neo4j.command("start")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt.")
@guarded("neo4j start")
def neo4j_start(timeout: float) -> None:
    """Start the local Neo4j and wait until Bolt answers."""
    from graphfraud.servers import neo4j_local

    settings = _settings()
    try:
        info = neo4j_local.start(settings, timeout_s=timeout)
    except neo4j_local.Neo4jSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    if info["already_running"]:
        click.echo(f"Neo4j already running (pid {info['pid']}) at {info['uri']}")
    else:
        click.echo(f"Neo4j started in {info['seconds']} s (pid {info['pid']}) at {info['uri']}")
    click.echo(f"user neo4j; password in {settings.credentials_file} (mode 0600)")


@neo4j.command("stop")
@guarded("neo4j stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j."""
    from graphfraud.servers import neo4j_local

    stopped = neo4j_local.stop(_settings())
    click.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j.command("status")
@guarded("neo4j status")
def neo4j_status() -> None:
    """Say whether Neo4j runs and which Neo4j, APOC and GDS versions answer."""
    from graphfraud.servers import neo4j_local

    info = neo4j_local.status(_settings())
    if not info.get("running"):
        click.echo(f"Neo4j is not running ({info['uri']})"
                   + (f": {info['error']}" if info.get("error") else ""))
        sys.exit(3)
    click.echo(f"Neo4j {info['neo4j']} ({info['edition']}) running at {info['uri']}"
               + (f", pid {info['pid']}" if info.get("pid") else ""))
    click.echo(f"APOC {info['apoc']}")
    click.echo(f"GDS {info['gds']}")


# --- embedded ----------------------------------------------------------------------
@main.group()
def embedded() -> None:
    """The embedded graph server (FalkorDB), shared by every GraphFraud process."""


@embedded.command("start")
@guarded("embedded start")
def embedded_start() -> None:
    """Start it (it also starts by itself on first use)."""
    from graphfraud.servers import falkordb_local

    sock = falkordb_local.ensure_running(_settings())
    click.echo(f"embedded graph running on {sock}")


@embedded.command("stop")
@guarded("embedded stop")
def embedded_stop() -> None:
    """Stop it cleanly."""
    from graphfraud.servers import falkordb_local

    was = falkordb_local.stop(_settings())
    click.echo("embedded graph stopped" if was else "embedded graph was not running")


@embedded.command("status")
@guarded("embedded status")
def embedded_status() -> None:
    """Say whether it runs, where, and the engine's version."""
    from graphfraud.servers import falkordb_local

    info = falkordb_local.status(_settings())
    for k, v in info.items():
        click.echo(f"{k}: {v}")


# --- schema ------------------------------------------------------------------------
@main.command()
@STORE_OPTION
@click.option("--write", "write_files", is_flag=True,
              help="Regenerate cypher/schema*.cypher from the model instead.")
@guarded("schema")
def schema(store: str | None, write_files: bool) -> None:
    """Apply the model's constraints and indexes to the store (idempotent)."""
    if write_files:
        from graphfraud.model.ddl import render_schema_file
        from graphfraud.model.loadgen import render_load_files
        from graphfraud.store.library import CYPHER_DIR

        (CYPHER_DIR / "schema.cypher").write_text(render_schema_file("neo4j"))
        (CYPHER_DIR / "schema.falkordb.cypher").write_text(render_schema_file("falkordb"))
        load_dir = CYPHER_DIR / "load"
        load_dir.mkdir(exist_ok=True)
        for old in load_dir.glob("*.cypher"):
            old.unlink()
        files = render_load_files()
        for name, text in files.items():
            (load_dir / name).write_text(text)
        click.echo(f"wrote cypher/schema.cypher, schema.falkordb.cypher and {len(files)} "
                   "load statements in cypher/load/")
        return
    from graphfraud.store import open_store

    with open_store(_settings(store)) as st:
        st.apply_schema()
        click.echo(f"schema applied on {st.kind}: {len(st.schema_snapshot())} "
                   "constraints and indexes")


# --- query -------------------------------------------------------------------------
def _parse_params(pairs: tuple[str, ...], declared: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r}: use key=value", param_hint="--param")
        kind = declared.get(key)
        try:
            if kind in ("int",):
                params[key] = int(raw)
            elif kind in ("float",):
                params[key] = float(raw)
            elif kind in ("bool",):
                params[key] = raw.lower() in ("1", "true", "yes")
            elif kind in ("list", "map") or (kind is None and raw[:1] in "[{"):
                params[key] = json.loads(raw)
            elif kind is None:
                params[key] = json.loads(raw) if raw[:1].isdigit() or raw in (
                    "true", "false", "null") else raw
            else:
                params[key] = raw
        except ValueError as exc:
            raise click.BadParameter(f"{key}={raw!r} is not a valid {kind or 'value'}",
                                     param_hint="--param") from exc
    return params


@main.command()
@click.argument("name", required=False)
@click.option("--cypher", "cypher_text", help="Run this read-only Cypher instead of a "
              "library query.")
@click.option("--param", "-p", "param_pairs", multiple=True, help="key=value, repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@click.option("--row-cap", default=1000, show_default=True)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds.")
@click.option("--list", "list_queries", is_flag=True,
              help="List the library's queries your role is offered.")
@click.option("--purpose", default=None, help="Purpose or case reference (recorded).")
@click.option("--case-ref", default=None, help="Case reference (recorded).")
@STORE_OPTION
@guarded("query", audited=False)
def query(name: str | None, cypher_text: str | None, param_pairs: tuple[str, ...], fmt: str,
          row_cap: int, timeout: float, list_queries: bool, purpose: str | None,
          case_ref: str | None, store: str | None) -> None:
    """Run a library query by NAME, or --cypher TEXT; read-only."""
    from graphfraud.security.session import Session
    from graphfraud.store import StoreError, open_store
    from graphfraud.store.library import QueryNotFound, get_query

    user = click.get_current_context().meta["gf_user"]
    if list_queries:
        offered = Session(None, _settings(store), user).library()
        rows = [{"name": q.name, "group": q.group, "mode": q.mode, "purpose": q.purpose,
                 "requires": ", ".join(q.requires)} for q in offered.values()]
        click.echo(format_rows(_safe_rows(rows, fmt), fmt))
        return
    if bool(name) == bool(cypher_text):
        raise click.UsageError("give a query NAME or --cypher TEXT (one of them)")
    from graphfraud.security.audit import AuditError
    from graphfraud.security.guard import QueryRefused

    settings = _settings(store)
    with open_store(settings) as st:
        session = Session(st, settings, user, row_cap=row_cap, timeout_s=timeout,
                          purpose=purpose, case_ref=case_ref)
        try:
            if name:
                try:
                    q = get_query(name)
                except QueryNotFound as exc:
                    raise click.ClickException(str(exc)) from exc
                if q.mode != "read":
                    raise click.ClickException(
                        f"query {name!r} is a {q.mode} query; `graphfraud query` is read-only")
                params = _parse_params(param_pairs, {p.name: p.type for p in q.params})
                for p in q.params:
                    if p.name not in params and p.default is not None:
                        params[p.name] = _parse_params((f"{p.name}={p.default}",),
                                                       {p.name: p.type})[p.name]
                result = session.library_query(name, params)
            else:
                params = _parse_params(param_pairs, {})
                result = session.free_cypher(cypher_text or "", params)
        except QueryRefused as exc:
            raise click.ClickException(f"refused (read-only console): {exc.reason}") from exc
        except AuditError as exc:
            raise click.ClickException(f"refused: the audit record could not be written "
                                       f"({exc}); no result") from exc
        except (StoreError, PermissionError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(format_rows(_safe_rows(result.rows, fmt), fmt, result.columns))
    if result.truncated:
        click.echo(f"(cut at the row cap of {row_cap})", err=True)


def _safe_rows(rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """For CSV output, cells a spreadsheet would run as formulas are neutralised."""
    if fmt != "csv":
        return rows
    from graphfraud.explore.export import safe_cell

    return [{k: safe_cell(v) for k, v in r.items()} for r in rows]


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
    click.echo(format_rows(_safe_rows(rows, fmt), fmt))


@main.command("export-import-csv")
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path), required=True)
@guarded("export-import-csv")
def export_import_csv_cmd(directory: Path, out: Path) -> None:
    """Write `neo4j-admin database import` files (typed headers, ID spaces) from a dataset
    directory: the bulk path for an initial national load."""
    from graphfraud.export.neo4j_admin import export_import_csv

    summary = export_import_csv(directory, out)
    click.echo(f"{summary['node_total']} nodes and {summary['relationship_total']} "
               f"relationships written to {out}")
    click.echo(f"then: neo4j-admin database import full @{out / 'import.args'} <database>, "
               "start the server and run `graphfraud schema --store neo4j`")


@main.command("register-cards")
@click.option("--out", type=click.Path(path_type=Path), default=Path("docs/register"),
              show_default=True)
@guarded("register-cards")
def register_cards(out: Path) -> None:
    """Write an algorithm-register card (Markdown and JSON) for every detector."""
    from graphfraud.detect.register_cards import write_cards

    for path in write_cards(out):
        click.echo(f"wrote {path}")


# --- later issues ------------------------------------------------------------------
def _not_yet(what: str) -> None:
    raise click.ClickException(f"`graphfraud {what}` is not built yet")


@main.command()
@click.option("--scale", type=click.Choice(["tiny", "small", "medium", "large", "tiny-hard",
                                           "small-hard", "medium-hard", "large-hard"]),
              default="small", show_default=True,
              help="World size; `-hard` adds evasive case variants and more decoys.")
@click.option("--seed", default=1, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--xml-share", default=0.05, show_default=True,
              help="Share of movements written as EMCS XML messages under OUT/emcs/.")
@guarded("generate")
def generate(scale: str, seed: int, out: Path, xml_share: float) -> None:
    """Write a synthetic excise world (data-contract files + truth.json)."""
    from graphfraud.synth import generate_world

    summary = generate_world(scale, seed, out, xml_share=xml_share)
    rows = [{"file": k, "rows": v} for k, v in sorted(summary.items())
            if isinstance(v, int)]
    click.echo(format_rows(rows))
    click.echo(f"wrote {out}")


def print_ingest_report(report, fmt: str = "table") -> None:
    rows = [{"file": f.file, "status": f.status, "read": f.read, "loaded": f.loaded,
             "quarantined": f.quarantined, "resumed_from": f.resumed_from,
             "seconds": f.seconds} for f in report.files]
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    click.echo(format_rows(rows))
    for f in report.unreadable:
        click.echo(f"UNREADABLE {f.file}: {f.reason}", err=True)
    for f in report.files:
        if f.messages or f.pending:
            click.echo(f"{f.file}: {f.messages} messages, {f.pending} follow-ups pending")
        for note in f.notes:
            click.echo(f"  {note}")
    if report.resolution:
        r = report.resolution
        click.echo(f"entity resolution: {r['mentions']} name mentions, {r['linked']} linked, "
                   f"{r['candidates']} candidates for review")
    total = sum(f.loaded for f in report.files)
    rate = total / report.seconds if report.seconds else 0
    click.echo(f"{total} rows loaded in {report.seconds:.1f} s ({rate:,.0f} rows/s); "
               f"quarantine: {Path(report.directory) / '.graphfraud' / 'quarantine'}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@STORE_OPTION
@click.option("--delivery", help="Delivery id for provenance (default: the folder name).")
@click.option("--batch-size", default=2000, show_default=True)
@click.option("--fresh", is_flag=True, help="Empty the graph first.")
@click.option("--bulk", is_flag=True,
              help="Initial load into an empty embedded graph: parse in memory, then create "
                   "the graph with GRAPH.BULK (not resumable; for Neo4j use "
                   "export-import-csv).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@guarded("ingest")
def ingest(directory: Path, store: str | None, delivery: str | None, batch_size: int,
           fresh: bool, bulk: bool, fmt: str) -> None:
    """Load a dataset directory into the graph (validated, idempotent, resumable)."""
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store import StoreError, open_store

    with open_store(_settings(store)) as st:
        if fresh:
            st.clear()
        try:
            if bulk:
                from graphfraud.ingest.bulk import bulk_ingest

                loaded = bulk_ingest(st, directory, delivery, max(batch_size, 5000),
                                     progress=_progress_printer())
                report = loaded.ingest
            else:
                report = ingest_directory(st, directory, delivery, batch_size,
                                          progress=_progress_printer(), restart=fresh)
        except (FileNotFoundError, StoreError) as exc:
            raise click.ClickException(str(exc)) from exc
    if bulk and fmt == "json":
        click.echo(json.dumps(loaded.to_dict(), indent=2))
    else:
        print_ingest_report(report, fmt)
    if bulk and fmt == "table":
        click.echo(f"bulk load: parse {loaded.parse_seconds:.1f} s, GRAPH.BULK "
                   f"{loaded.load_seconds:.1f} s ({loaded.batches} calls), indexes "
                   f"{loaded.index_seconds:.1f} s; {loaded.nodes:,} nodes, "
                   f"{loaded.relationships:,} relationships")
    if report.unreadable:
        sys.exit(1)


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(name: str, rows: int) -> None:
        click.echo(f"\r{name}: {rows:,} rows", nl=False, err=True)
    return show


@main.command()
@STORE_OPTION
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(detector_kinds()),
              help="Only these kinds (repeatable).")
@click.option("--top", type=int, default=None, help="At most N findings per kind.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option("--dataset", default="", help="Name of the dataset, for the output.")
@click.option("--no-write", is_flag=True, help="Do not write findings back to the graph.")
@click.option("--engine", type=click.Choice(["auto", "igraph", "networkx", "gds"]),
              default="auto", show_default=True,
              help="Community detection: auto = GDS on a Neo4j with GDS for very large "
                   "trader graphs, igraph otherwise.")
@guarded("detect")
def detect(store: str | None, kinds: tuple[str, ...], top: int | None, fmt: str, dataset: str,
           no_write: bool, engine: str) -> None:
    """Find suspicious networks, factory sites and diversion, each score explained."""
    from graphfraud.detect.runner import detect as run_detect
    from graphfraud.detect.runner import reproducible
    from graphfraud.detect.runs import save_run
    from graphfraud.store import StoreError, open_store

    settings = _settings(store)
    with open_store(settings) as st:
        try:
            document = run_detect(st, dataset, list(kinds) or None, top,
                                  write=not no_write, engine=engine)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    path = save_run(settings, document)
    from graphfraud.security.session import Session, redact_findings

    document = redact_findings(document, Session(None, settings,
                                                 click.get_current_context().meta["gf_user"]))
    if fmt == "json":
        click.echo(json.dumps(reproducible(document), indent=2, ensure_ascii=False))
        return
    rows = [{"rank": f["rank"], "kind": f["kind"], "score": round(f["score"], 3),
             "id": f["id"], "title": f["title"][:70],
             "signals": ", ".join(r["signal"] for r in f["reasons"])}
            for f in document["findings"]]
    if fmt == "csv":
        click.echo(format_rows(_safe_rows(rows, "csv"), "csv"))
        return
    click.echo(format_rows(rows))
    click.echo(f"run {document['run']['run_id']} in {document['run']['seconds']} s; "
               f"saved to {path}")


@main.command()
@click.option("--truth", "truth_path", type=click.Path(path_type=Path, exists=True,
              dir_okay=False), required=True, help="truth.json of a generated world.")
@click.option("--er", "er_only", is_flag=True, help="Measure entity resolution instead.")
@STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@guarded("evaluate")
def evaluate(truth_path: Path, er_only: bool, store: str | None, fmt: str) -> None:
    """Measure the latest detect run (or entity resolution) against a world's truth.json."""
    from graphfraud.store import open_store

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    settings = _settings(store)
    if er_only:
        from graphfraud.resolve.evaluate_graph import evaluate_er

        with open_store(settings) as st:
            report = evaluate_er(st, truth_path.parent, truth)
        if fmt == "json":
            click.echo(json.dumps(report, indent=2))
            return
        rows = [{"scope": k, **{m: v[m] for m in ("precision", "recall", "f1", "tp", "fp",
                                                   "fn", "candidates")}}
                for k, v in report.items()]
        click.echo(format_rows(rows))
        return
    from graphfraud.detect.evaluate import evaluate_findings
    from graphfraud.detect.runs import latest_run

    document = latest_run(settings)
    if document is None:
        raise click.ClickException("no detect run yet: run `graphfraud detect` first")
    report = evaluate_findings(document, truth)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
        return
    rows = [{"kind": k, "cases": v["cases"], "findings": v["findings"],
             "recall@5": round(v["recall@5"], 2), "recall@10": round(v["recall@10"], 2),
             "recall@20": round(v["recall@20"], 2),
             "precision@10": round(v["precision@10"], 2),
             "p@10_any": round(v["precision@10_any_case"], 2),
             "case_ranks": " ".join(str(r["rank"]) for r in v["case_ranks"]),
             "decoys@3": v["decoys_in_top3"],
             "decoy_ranks": " ".join(str(d["rank"]) for d in v["decoy_ranks"])}
            for k, v in report.items()]
    click.echo(format_rows(rows))


@main.command()
@STORE_OPTION
@click.option("--scope", type=click.Choice(["national", "all"]), default="all",
              show_default=True, help="national (with border/non-border) or every municipality")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@guarded("eps", audited=False)  # the Session records the consultation
def eps(store: str | None, scope: str, fmt: str) -> None:
    """Empty Pack Survey shares per year and municipality, with 95% confidence intervals."""
    from graphfraud.security.session import Session
    from graphfraud.store import open_store

    settings = _settings(store)
    with open_store(settings) as st:
        estimates = Session(st, settings,
                            click.get_current_context().meta["gf_user"]).eps_shares()
    rows = [{"year": e.year, "scope": e.scope, "measure": e.measure, "packs": e.packs,
             "share_pct": round(100 * e.share, 1), "ci95_low_pct": round(100 * e.low, 1),
             "ci95_high_pct": round(100 * e.high, 1), "routes": e.clusters}
            for e in estimates
            if scope == "all" or e.scope in ("national", "border", "non-border")]
    click.echo(format_rows(_safe_rows(rows, fmt), fmt))


@main.command()
@STORE_OPTION
@click.option("--port", default=8501, show_default=True, help="Port on 127.0.0.1.")
@guarded("ui", audited=False)
def ui(store: str | None, port: int) -> None:
    """Start the Streamlit workbench on 127.0.0.1 (users sign in there)."""
    settings = _settings(store)
    _command_record(settings, click.get_current_context().meta["gf_user"], "ui", "started",
                    {"port": port})
    app = Path(str(files("graphfraud.ui"))) / "app.py"  # where the package is installed
    env = {**os.environ, "GRAPHFRAUD_STORE": settings.store,
           "GRAPHFRAUD_HOME": str(settings.home)}
    # 127.0.0.1 only: the workbench shows police and tax data; put a reverse proxy with
    # authentication in front of it to reach it from elsewhere.
    cmd = [sys.executable, "-m", "streamlit", "run", str(app),
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--global.developmentMode", "false",
           "--client.toolbarMode", "minimal"]
    real = sys.__stdout__ or sys.stderr
    click.echo(f"GraphFraud on http://127.0.0.1:{port} (store {settings.store}); "
               "Ctrl-C stops it", file=real)
    real.flush()
    os.execvpe(sys.executable, cmd, env)  # the server takes this process's place


@main.command()
@click.option("--scale", type=click.Choice(["tiny", "small", "medium"]), default="small",
              show_default=True)
@click.option("--seed", default=1, show_default=True)
def demo(scale: str, seed: int) -> None:
    """Generate the small world, ingest it on the embedded graph and print counts.

    In a fresh home it first makes local demo users (one per role, random passwords in
    GRAPHFRAUD_HOME/demo-users.txt, mode 0600), logs in as the demo admin and says so;
    in a home with users it needs a logged-in admin like any other command."""
    from graphfraud.security.auth import has_users

    settings = _settings("embedded")
    if not has_users(settings.home):
        click.get_current_context().meta["gf_user"] = _demo_users(settings)
    _demo(scale, seed)


DEMO_USERS = {"demo-admin": "admin", "demo-investigator": "investigator",
              "demo-analyst": "analyst", "demo-manager": "manager"}


def _demo_users(settings: Settings):
    """One local demo user per role with a random password; logged in as the admin."""
    import secrets

    from graphfraud.security.auth import issue_token, save_token
    from graphfraud.security.session import users_path
    from graphfraud.security.users import add_user

    lines, admin = [], None
    for name, role in DEMO_USERS.items():
        password = secrets.token_urlsafe(12)
        user = add_user(users_path(settings), name, role, password, replace=True)
        admin = user if role == "admin" else admin
        lines.append(f"{name}\t{role}\t{password}")
    path = settings.home / "demo-users.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("user\trole\tpassword (local demo users; delete them with "
                 "`graphfraud users remove`)\n" + "\n".join(lines) + "\n")
    token = save_token(settings.home, issue_token(settings.home, admin))
    click.echo(f"0/4 fresh home: made local demo users (one per role), passwords in {path} "
               f"(0600); logged in as demo-admin (token {token})", err=True)
    return admin


@guarded("demo")
def _demo(scale: str, seed: int) -> None:
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.security.session import Session, redact_findings
    from graphfraud.store import open_store
    from graphfraud.synth import generate_world

    settings = _settings("embedded")
    out = settings.home / "demo" / f"{scale}-seed{seed}"
    click.echo(f"1/4 generating the {scale} synthetic world (seed {seed}) in {out}")
    generate_world(scale, seed, out)
    click.echo("2/4 loading it into the embedded graph")
    with open_store(settings, "embedded") as st:
        st.clear()
        report = ingest_directory(st, out, f"demo-{scale}-{seed}", restart=True)
        print_ingest_report(report)
        if (out / "later").is_dir():  # the EMCS follow-ups that came in a later delivery
            report = ingest_directory(st, out / "later", f"demo-{scale}-{seed}-later",
                                      restart=True)
            print_ingest_report(report)
        click.echo("3/4 what the graph holds")
        click.echo(format_rows(st.run("count_by_label")))
        click.echo(format_rows(st.run("count_by_type")))
        click.echo("4/4 detecting")
        from graphfraud.detect.runner import detect as run_detect
        from graphfraud.detect.runs import save_run

        document = run_detect(st, str(out), top=5)
        save_run(settings, document)
    user = click.get_current_context().meta["gf_user"]
    document = redact_findings(document, Session(None, settings, user))
    rows = [{"kind": f["kind"], "rank": f["rank"], "score": round(f["score"], 3),
             "title": f["title"][:70]} for f in document["findings"]]
    click.echo(format_rows(rows))
    click.echo(f"Open the workbench: graphfraud ui   (then http://127.0.0.1:8501 and sign "
               f"in as a user of {settings.home / 'demo-users.txt'}); planted truth: "
               f"{out / 'truth.json'}")

# case work's commands (graphfraud.cli.case imports this module for the shared options)
from graphfraud.cli.case import alerts as _alerts_command  # noqa: E402
from graphfraud.cli.case import case as _case_group  # noqa: E402

main.add_command(_case_group)
main.add_command(_alerts_command)
