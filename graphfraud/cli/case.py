"""`graphfraud case ...`: cases from the command line, through the Session like the UI.

Registered on the main group by `graphfraud.cli`; each command is guarded there (login,
the role table's permission, one command audit record) and the Session audits the case
reads and changes themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from graphfraud.cli.group import STORE_OPTION, _settings, guarded
from graphfraud.cli.output import FORMATS, format_rows
from graphfraud.detect.records import Finding, FindingsDocument, RunInfo


def _session(store: str | None, purpose: str | None = None):
    from graphfraud.security.session import Session
    from graphfraud.store import open_store

    settings = _settings(store)
    user = click.get_current_context().meta["gf_user"]
    return Session(open_store(settings), settings, user, purpose=purpose)


def _run(store: str | None, fn: Any, purpose: str | None = None) -> Any:
    """Call `fn(session)`, turning refusals and workflow errors into clean messages."""
    from graphfraud.cases.model import CaseError
    from graphfraud.security.audit import AuditError
    from graphfraud.store import StoreError

    session = _session(store, purpose)
    try:
        return fn(session)
    except (CaseError, PermissionError, StoreError, AuditError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        session._store().close()


def _finding(session: Any, finding_id: str) -> tuple[Finding, RunInfo]:
    from graphfraud.cases.model import CaseError
    from graphfraud.detect.runs import latest_run, load_run

    doc = latest_run(session.settings)
    if doc is None:
        raise CaseError("no detect run yet: run `graphfraud detect` first")
    run_id, _, fid = finding_id.rpartition("/")
    if run_id:
        doc = load_run(session.settings, run_id)
    found = doc.finding(fid)
    if found is not None:
        return found, doc.run
    raise CaseError(f"run {doc.run.run_id} has no finding {fid!r}")


@click.group()
def case() -> None:
    """Cases: open, list, show, note, status, members, export the report."""


@case.command("new")
@click.argument("reference")
@click.option("--title", required=True, help="What the case is about.")
@click.option("--finding", "finding_id", default=None,
              help="Open it from this finding of the latest run (or RUN_ID/FINDING_ID).")
@click.option("--view", "view_file", type=click.Path(exists=True, path_type=Path),
              default=None, help="Open it from a saved explorer view (JSON: name, nodes "
              "[{id, label, key, x, y}], filters).")
@click.option("--member", "members", multiple=True, help="Another investigator (repeatable).")
@click.option("--purpose", default=None, help="Purpose (recorded).")
@STORE_OPTION
@guarded("case new")
def case_new(reference: str, title: str, finding_id: str | None, view_file: Path | None,
             members: tuple[str, ...], purpose: str | None, store: str | None) -> None:
    """Open a case REFERENCE (the OM or FIOD number): empty, from a finding or a view."""
    def make(s: Any) -> Any:
        finding, run = _finding(s, finding_id) if finding_id else (None, None)
        view = json.loads(view_file.read_text()) if view_file else None
        return s.create_case(reference, title, members, finding, run, view)

    c = _run(store, make, purpose or f"case {reference}")
    click.echo(f"case {c.case_id} ({c.reference}) opened by {c.owner}: {c.status}")


@case.command("list")
@click.option("--status", default=None, help="Only cases with this status.")
@click.option("--mine", is_flag=True, help="Only cases I own or am a member of.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@STORE_OPTION
@guarded("case list")
def case_list(status: str | None, mine: bool, fmt: str, store: str | None) -> None:
    """The cases; roles that may not open cases see counts per status only."""
    from graphfraud.security.roles import Permission

    def read(s: Any) -> list[dict[str, Any]]:
        if not s.can(Permission.VIEW_CASES):
            return [{"status": k, "cases": v} for k, v in s.case_counts().items()]
        return [{**r, "members": ", ".join(r.get("members") or [])}
                for r in s.cases(status, mine)]

    click.echo(format_rows(_run(store, read), fmt))


@case.command("show")
@click.argument("case_id")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@STORE_OPTION
@guarded("case show")
def case_show(case_id: str, fmt: str, store: str | None) -> None:
    """A case with its findings, notes, saved views and entities."""
    got = _run(store, lambda s: s.case(case_id))
    c = got["case"]
    if fmt == "json":
        click.echo(json.dumps({
            "case": c.to_dict(), "notes": [n.__dict__ for n in got["notes"]],
            "views": [{"view_id": v.view_id, "name": v.name, "nodes": len(v.nodes),
                       "filters": v.filters} for v in got["views"]],
            "findings": [{"finding_id": f.finding_id, "run_id": f.run_id, "kind": f.kind,
                          "score": f.score, "data_hash": f.data_hash}
                         for f in got["findings"]],
            "entities": got["entities"]}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{c.reference}: {c.title}\nstatus {c.status}; owner {c.owner}; members "
               f"{', '.join(c.members) or '-'}; opened {c.created_at}")
    click.echo(format_rows([{"finding": f.finding_id, "run": f.run_id, "kind": f.kind,
                             "score": round(f.score, 3)} for f in got["findings"]]))
    click.echo(format_rows([{"time": n.created_at, "author": n.author, "kind": n.kind,
                             "on": n.target or "case", "text": n.text} for n in got["notes"]]))


@case.command("note")
@click.argument("case_id")
@click.argument("text")
@click.option("--on", "target", default="", help="An entity (Label:key) or link it is about.")
@STORE_OPTION
@guarded("case note")
def case_note(case_id: str, text: str, target: str, store: str | None) -> None:
    """Add a note to a case (or to one of its entities or links)."""
    n = _run(store, lambda s: s.add_case_note(case_id, text, target))
    click.echo(f"note {n.note_id} added")


@case.command("status")
@click.argument("case_id")
@click.argument("status")
@click.option("--reason", required=True, help="Why (kept as a status note).")
@STORE_OPTION
@guarded("case status")
def case_status(case_id: str, status: str, reason: str, store: str | None) -> None:
    """Move a case on: open, investigating, handed_over, closed."""
    n = _run(store, lambda s: s.set_case_status(case_id, status, reason))
    click.echo(f"case {case_id}: {n.from_status} -> {n.to_status}")


@case.command("member")
@click.argument("case_id")
@click.option("--add", "add", multiple=True, help="Add this user (repeatable).")
@click.option("--remove", "remove", multiple=True, help="Remove this user (repeatable).")
@click.option("--owner", default=None, help="Hand the case to this user.")
@STORE_OPTION
@guarded("case member")
def case_member(case_id: str, add: tuple[str, ...], remove: tuple[str, ...],
                owner: str | None, store: str | None) -> None:
    """Change a case's members or owner."""
    c = _run(store, lambda s: s.set_case_members(case_id, add, remove, owner))
    click.echo(f"case {case_id}: owner {c.owner}; members {', '.join(c.members) or '-'}")


@case.command("export")
@click.argument("case_id")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Report file (.pdf or .html).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default=None,
              help="Default: from the file's suffix.")
@click.option("--purpose", default=None, help="Purpose (recorded).")
@STORE_OPTION
@guarded("case export")
def case_export(case_id: str, out: Path, fmt: str | None, purpose: str | None,
                store: str | None) -> None:
    """The case report (PDF or self-contained HTML) for your role."""
    fmt = fmt or ("html" if out.suffix.lower() in (".html", ".htm") else "pdf")
    data = _run(store, lambda s: s.case_report(case_id, fmt), purpose or f"case {case_id}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"report written to {out} ({len(data)} bytes)")


@click.command("alerts")
@click.option("--user", "username", default=None, help="Whose alerts (your own only).")
@click.option("--refresh", is_flag=True, help="First raise the alerts of the latest detect "
              "run's changes, of --delivery's new data and of new rows of every watched "
              "query, for every watcher.")
@click.option("--delivery", default=None, help="With --refresh: the delivery id to check.")
@click.option("--watch", "watch_ref", default=None,
              help="First watch this entity, Label:key (e.g. Trader:KVK:12345678).")
@click.option("--watch-query", "watch_name", default=None,
              help="First watch this library query (see `graphfraud query`): its new rows "
              "after a delivery or run raise alerts.")
@click.option("--watch-cypher", "watch_cypher", default=None,
              help="First watch your own read-only Cypher (guarded like `query --cypher`).")
@click.option("--label", default=None, help="With --watch-cypher: a name for it.")
@click.option("--param", "param_pairs", multiple=True,
              help="With --watch-query/--watch-cypher: key=value (repeatable).")
@click.option("--purpose", default=None, help="Purpose (recorded; a watched query runs "
              "again with it).")
@click.option("--unwatch", "unwatch_id", default=None, help="End this watch (its id).")
@click.option("--watches", "list_watches", is_flag=True, help="List your watches instead.")
@click.option("--read", "read_ids", multiple=True, help="Mark this alert read (repeatable).")
@click.option("--read-all", is_flag=True, help="Mark all your alerts read.")
@click.option("--unread", is_flag=True, help="Only unread alerts.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@STORE_OPTION
@guarded("alerts")
def alerts(username: str | None, refresh: bool, delivery: str | None,
           watch_ref: str | None, watch_name: str | None, watch_cypher: str | None,
           label: str | None, param_pairs: tuple[str, ...], purpose: str | None,
           unwatch_id: str | None, list_watches: bool, read_ids: tuple[str, ...],
           read_all: bool, unread: bool, fmt: str, store: str | None) -> None:
    """Your alerts: new or risen findings on what you watch, findings of your cases that
    disappeared, new data around watched entities and new rows of watched queries; with
    the unread count."""
    from graphfraud.cli.queries import _parse_params
    from graphfraud.detect.runs import latest_run
    from graphfraud.store.library import QueryNotFound, get_query

    try:
        declared = {p.name: p.type for p in get_query(watch_name).params} if watch_name else {}
    except QueryNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    params = _parse_params(param_pairs, declared)
    said: list[str] = []

    def run(s: Any) -> tuple[list[dict[str, Any]], int]:
        if watch_ref:
            lbl, _, key = watch_ref.partition(":")
            said.append(f"watching {lbl}:{key} ({s.watch(lbl, key)})")
        if watch_name or watch_cypher:
            w = s.watch_query(watch_name, watch_cypher, params, label)
            said.append(f"watching query {w.name} ({w.watch_id}): {len(w.last)} rows now")
        if unwatch_id:
            s.unwatch(unwatch_id)
            said.append(f"watch {unwatch_id} ended")
        if refresh:
            got = s.raise_alerts(latest_run(s.settings), delivery)
            said.append(f"{got['new']} new alerts ({got['query_watches']} watched queries "
                        "run)")
            said.extend(f"not run: {p}" for p in got["problems"])
        if read_ids or read_all:
            n = s.mark_alerts_read(None if read_all else list(read_ids))
            said.append(f"{n} alerts marked read")
        if list_watches:
            return s.watches(), 0
        return s.alerts(username), s.unread_alerts()

    rows, unread_now = _run(store, run, purpose)
    for line in said:
        click.echo(line, err=fmt != "table")
    if list_watches:
        click.echo(format_rows([{**r, "params": json.dumps(r.get("params") or {})}
                                if "params" in r else r for r in rows], fmt))
        return
    total = len(rows)
    rows = [r for r in rows if not (unread and r.get("read"))]
    click.echo(format_rows(rows, fmt))
    if fmt == "table":
        click.echo(f"{unread_now} unread of {total}")


def alerts_after(store: Any, settings: Any, delivery: str | None = None,
                 document: FindingsDocument | None = None) -> None:
    """The one line at the end of `graphfraud ingest` (with the delivery) and of
    `graphfraud detect` (with the run's document): every watcher's alerts, raised as
    that watcher (`graphfraud.cases.after`). A failure is said, not a failed ingest."""
    from graphfraud.cases.after import raise_after
    from graphfraud.security.audit import AuditError
    from graphfraud.store import StoreError

    try:
        got = raise_after(store, settings, document, delivery)
    except (StoreError, AuditError, OSError, ValueError) as exc:
        click.echo(f"alerts not raised: {exc} (run `graphfraud alerts --refresh` later)",
                   err=True)
        return
    # on stderr: `ingest`/`detect --format json` keep a clean stdout
    click.echo(f"alerts: {got['new']} new for {got['users']} watchers", err=True)
    for line in got["problems"]:
        click.echo(f"alerts: {line}", err=True)
