"""The workbench and the demo: `ui`, `demo`."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

import click

from graphfraud.cli.data import print_ingest_report
from graphfraud.cli.group import STORE_OPTION, _command_record, _settings, guarded, main
from graphfraud.cli.output import format_rows
from graphfraud.config import Settings


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
    rows = [{"kind": f.kind, "rank": f.rank, "score": round(f.score, 3),
             "title": f.title[:70]} for f in document.findings]
    click.echo(format_rows(rows))
    click.echo(f"Open the workbench: graphfraud ui   (then http://127.0.0.1:8501 and sign "
               f"in as a user of {settings.home / 'demo-users.txt'}); planted truth: "
               f"{out / 'truth.json'}")
