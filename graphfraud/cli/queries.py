"""The schema and the query library: `schema`, `query`, `eps`."""

from __future__ import annotations

import json
from typing import Any

import click

from graphfraud.cli.group import STORE_OPTION, _settings, guarded, main
from graphfraud.cli.output import FORMATS, format_rows, safe_rows


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
        click.echo(format_rows(safe_rows(rows, fmt), fmt))
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
    click.echo(format_rows(safe_rows(result.rows, fmt), fmt, result.columns))
    if result.truncated:
        click.echo(f"(cut at the row cap of {row_cap})", err=True)


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
    click.echo(format_rows(safe_rows(rows, fmt), fmt))
