import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from _auth import PASSWORD, login_env, make_users, user_name
from click.testing import CliRunner

from graphfraud.cli import main
from graphfraud.security.audit import read
from graphfraud.security.roles import COMMANDS, Permission, can


def test_help_lists_every_command():
    out = CliRunner().invoke(main, ["--help"]).output
    for cmd in ("neo4j", "generate", "ingest", "detect", "evaluate", "query", "ui", "demo",
                "login", "logout"):
        assert f"  {cmd} " in out


def _query(env, *args):
    return subprocess.run([sys.executable, "-m", "graphfraud.cli", "query", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_query_prints_json_rows(embedded_settings, test_env):
    out = _query(login_env(test_env, "analyst"), "--cypher",
                 "UNWIND [1, 2] AS i RETURN i, 'x' AS s", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [{"i": 1, "s": "x"}, {"i": 2, "s": "x"}]


def test_named_query_with_typed_param(embedded_settings, test_env):
    out = _query(login_env(test_env, "analyst"), "trader_by_id", "--param",
                 "trader_id=nobody", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("trader_id,name,kvk_number")


def test_write_is_refused_with_non_zero_exit(embedded_settings, test_env):
    env = login_env(test_env, "analyst")
    out = _query(env, "--cypher", "CREATE (n:X) RETURN n")
    assert out.returncode != 0 and "read-only" in out.stderr
    out = _query(env, "delete_batch")
    assert out.returncode != 0 and "write query" in out.stderr


def test_csv_output_neutralises_formulas(embedded_settings, test_env):
    out = _query(login_env(test_env, "analyst"), "--cypher",
                 "RETURN '=HYPERLINK(\"x\")' AS a, '+cmd|x' AS b, '@SUM(1)' AS c, "
                 "'-2+3' AS d, 'plain' AS e", "--format", "csv")
    assert out.returncode == 0, out.stderr
    row = out.stdout.splitlines()[1]
    assert row.startswith("\"'=HYPERLINK") and ",'+cmd|x,'@SUM(1),'-2+3,plain" in row


# --- authentication and per-command permissions ---------------------------------------

#: arguments that get each command past click's own checks to its callback
def _args(command: str, tmp: Path) -> list[str]:
    data = tmp / "data"
    data.mkdir(exist_ok=True)
    truth = tmp / "truth.json"
    truth.write_text("{}")
    return {
        "generate": ["generate", "--out", str(tmp / "w")],
        "ingest": ["ingest", str(data)],
        "export-import-csv": ["export-import-csv", str(data), "--out", str(tmp / "o")],
        "schema": ["schema"], "register-cards": ["register-cards", "--out", str(tmp / "r")],
        "detect": ["detect"], "evaluate": ["evaluate", "--truth", str(truth)],
        "demo": ["demo", "--scale", "tiny"], "query": ["query", "--cypher", "RETURN 1"],
        "eps": ["eps"], "ui": ["ui", "--port", "1"], "whoami": ["whoami"],
        "users add": ["users", "add", "x-new", "--role", "analyst"],
        "users list": ["users", "list"], "users remove": ["users", "remove", "nobody"],
        "audit verify": ["audit", "verify"], "audit show": ["audit", "show"],
        "neo4j install": ["neo4j", "install"], "neo4j start": ["neo4j", "start"],
        "neo4j stop": ["neo4j", "stop"], "neo4j status": ["neo4j", "status"],
        "embedded start": ["embedded", "start"], "embedded stop": ["embedded", "stop"],
        "embedded status": ["embedded", "status"],
        "case new": ["case", "new", "REF-1", "--title", "t"], "case list": ["case", "list"],
        "case show": ["case", "show", "C-1"], "case note": ["case", "note", "C-1", "text"],
        "case status": ["case", "status", "C-1", "closed", "--reason", "r"],
        "case member": ["case", "member", "C-1", "--add", "x"],
        "case export": ["case", "export", "C-1", "--out", str(tmp / "r.pdf")],
        "alerts": ["alerts"],
    }[command]


GUARDED = sorted(c for c in COMMANDS if c not in ("login", "logout"))


def _invoke(args: list[str], env: dict[str, str]):
    clean = {k: None for k in os.environ if k.startswith("GRAPHFRAUD_")}
    return CliRunner().invoke(main, args, env={**clean, **env},
                              input="new-password-123\nnew-password-123\n")


def test_every_command_is_in_the_role_table():
    groups = {name: cmd for name, cmd in main.commands.items()}
    names = set()
    for name, cmd in groups.items():
        sub = getattr(cmd, "commands", None)
        names |= {f"{name} {s}" for s in sub} if sub else {name}
    assert names == set(COMMANDS)


@pytest.mark.parametrize("command", GUARDED)
def test_command_refuses_an_unauthenticated_user(command, tmp_path):
    home = tmp_path / "home"
    make_users(home)
    out = _invoke(_args(command, tmp_path), {"GRAPHFRAUD_HOME": str(home)})
    assert out.exit_code != 0
    assert "not logged in" in out.output, out.output
    refused = [r for r in read(home / "audit.jsonl") if r["action"] == "command"]
    assert refused[-1]["detail"] == {"command": command, "outcome": "refused",
                                     "reason": refused[-1]["detail"]["reason"]}


@pytest.mark.parametrize("command", GUARDED)
def test_command_refuses_a_role_without_its_permission(command, tmp_path):
    perm = COMMANDS[command]
    wrong = [r for r in ("manager", "analyst", "investigator", "admin")
             if perm is not None and not can(r, perm)]
    if not wrong:  # every role may (view_aggregates: eps; whoami): none to refuse
        assert perm in (None, Permission.VIEW_AGGREGATES)
        return
    home = tmp_path / "home"
    env = login_env({"GRAPHFRAUD_HOME": str(home)}, wrong[0])
    out = _invoke(_args(command, tmp_path), env)
    assert out.exit_code != 0
    assert "may not" in out.output and perm.value in out.output, out.output


@pytest.mark.parametrize("command", GUARDED)
def test_a_fresh_home_runs_nothing_until_the_first_admin(command, tmp_path):
    home = tmp_path / "fresh"
    if command in ("users add", "demo"):
        return  # the first admin; the demo makes its own (tested below)
    out = _invoke(_args(command, tmp_path), {"GRAPHFRAUD_HOME": str(home)})
    assert out.exit_code != 0 and "no users yet" in out.output, out.output


def test_first_user_must_be_an_admin_then_login_works(tmp_path):
    home = tmp_path / "fresh"
    env = {"GRAPHFRAUD_HOME": str(home)}
    out = _invoke(["users", "add", "ana", "--role", "analyst"], env)
    assert out.exit_code != 0 and "must be an admin" in out.output
    out = _invoke(["users", "add", "boss", "--role", "admin"], env)
    assert out.exit_code == 0, out.output
    out = _invoke(["users", "add", "eve", "--role", "admin"], env)  # now it needs a login
    assert out.exit_code != 0 and "not logged in" in out.output
    out = CliRunner().invoke(main, ["login", "boss"], env=env, input="new-password-123\n")
    assert out.exit_code == 0, out.output
    token = next((home / "tokens").glob("*.token"))
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    out = CliRunner().invoke(main, ["whoami"], env=env)
    assert out.output.strip() == "boss (admin)"
    CliRunner().invoke(main, ["logout"], env=env)
    assert CliRunner().invoke(main, ["whoami"], env=env).exit_code != 0


def test_wrong_passwords_are_throttled_and_audited(tmp_path):
    home = tmp_path / "home"
    make_users(home)
    env = {"GRAPHFRAUD_HOME": str(home)}
    name = user_name("analyst")
    for _ in range(5):
        out = CliRunner().invoke(main, ["login", name], env=env, input="wrong-password!\n")
        assert out.exit_code != 0 and "wrong password" in out.output
    out = CliRunner().invoke(main, ["login", name], env=env, input=PASSWORD + "\n")
    assert out.exit_code != 0 and "locked" in out.output  # even the right one, for now
    failed = [r for r in read(home / "audit.jsonl") if r["action"] == "login_failed"]
    assert len(failed) == 6 and failed[-1]["detail"]["reason"] == "locked"
    assert "locked" in failed[4]["detail"]["reason"]


def test_expired_token_is_refused(tmp_path):
    from graphfraud.security.auth import issue_token
    from graphfraud.security.users import User

    home = tmp_path / "home"
    make_users(home)
    token = issue_token(home, User(user_name("admin"), "admin"), hours=-1).token
    out = _invoke(["audit", "verify"], {"GRAPHFRAUD_HOME": str(home),
                                        "GRAPHFRAUD_TOKEN": token})
    assert out.exit_code != 0 and "expired" in out.output


def test_each_command_writes_one_record_with_its_outcome(tmp_path):
    home = tmp_path / "home"
    env = login_env({"GRAPHFRAUD_HOME": str(home)}, "admin")
    assert _invoke(["users", "list"], env).exit_code == 0
    assert _invoke(["audit", "verify"], env).exit_code == 0
    out = _invoke(["users", "add", "t-admin", "--role", "admin"], env)  # exists: fails
    assert out.exit_code != 0
    recs = [r for r in read(home / "audit.jsonl") if r["action"] == "command"]
    assert [(r["detail"]["command"], r["detail"]["outcome"]) for r in recs] == [
        ("users list", "ok"), ("audit verify", "ok"), ("users add", "failed")]


def test_audit_show_withholds_search_text_from_admins(tmp_path):
    from graphfraud.security.audit import AuditLog

    home = tmp_path / "home"
    env = login_env({"GRAPHFRAUD_HOME": str(home)}, "admin")
    AuditLog(home / "audit.jsonl").record("search", "ivo", "investigator",
                                          detail={"text": "Jan de Vries", "outcome": "ok"})
    out = _invoke(["audit", "show", "--format", "json"], env)
    assert out.exit_code == 0, out.output
    assert "Jan de Vries" not in out.output and "(withheld)" in out.output


def test_a_full_disk_refuses_the_query(tmp_path, monkeypatch, embedded_settings, test_env):
    """No result leaves without its audit record: ENOSPC on the log -> no rows."""
    import errno

    from graphfraud.security import audit as audit_mod

    env = login_env(test_env, "analyst")
    real = os.write

    def full(fd, data):
        if data.startswith(b'{"action":"query"'):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(audit_mod.os, "write", full)
    out = _invoke(["query", "--cypher", "RETURN 'secret-row' AS x"], env)
    assert out.exit_code != 0
    assert "secret-row" not in out.output and "audit record could not be written" in out.output


def test_a_command_through_the_session_is_one_record(embedded_settings, test_env):
    from graphfraud.config import load_settings

    env = login_env(test_env, "analyst")
    path = load_settings(env).home / "audit.jsonl"
    before = len(read(path))
    out = subprocess.run([sys.executable, "-m", "graphfraud.cli", "eps"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    new = read(path)[before:]
    assert [(r["action"], r["user"]) for r in new] == [("query", user_name("analyst"))]


def test_detect_prints_no_person_for_a_role_without_view_persons(embedded_settings, test_env,
                                                                 tmp_path):
    """The admin runs detect; what it prints names no person, home address or person id
    (the saved run keeps them for investigators)."""
    import csv

    from graphfraud.synth import generate_world

    world = tmp_path / "w"
    generate_world("tiny", 5, world)
    run = lambda *a: subprocess.run([sys.executable, "-m", "graphfraud.cli", *a],  # noqa: E731
                                    env=test_env, capture_output=True, text=True, timeout=300)
    assert run("ingest", str(world), "--fresh").returncode == 0
    out = run("detect", "--format", "json", "--no-write")
    assert out.returncode == 0, out.stderr
    with open(world / "persons.csv", encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    secret = {v for p in people for v in (p["person_id"], p["full_name"], p["birth_date"])}
    secret |= {f"{p['postcode'].replace(' ', '')}|{p['house_number']}" for p in people}
    doc = json.loads(out.stdout)
    assert doc["findings"], "the tiny world has findings"
    leaked = sorted(v for v in secret if v and v in out.stdout)
    assert leaked == [], leaked[:5]
    inv = subprocess.run([sys.executable, "-m", "graphfraud.cli", "detect", "--format", "json",
                          "--no-write"], env=login_env(test_env, "investigator"),
                         capture_output=True, text=True, timeout=300)
    assert inv.returncode == 0, inv.stderr
    assert any(v and v in inv.stdout for v in secret)  # the scan can fail: they are there
