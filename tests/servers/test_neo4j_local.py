"""The local Neo4j that `graphfraud neo4j` runs: real server, APOC and GDS, loopback only."""

import re
import stat
import subprocess
import sys

import pytest

from graphfraud.servers import neo4j_local
from graphfraud.store import open_store

pytestmark = pytest.mark.neo4j


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "graphfraud.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_status_reports_neo4j_apoc_and_gds(neo4j_settings, test_env):
    out = _cli(test_env, "neo4j", "status")
    assert out.returncode == 0, out.stderr
    versions = neo4j_local.pinned_versions()
    assert f"Neo4j {versions['neo4j']}" in out.stdout and "5.26." in out.stdout
    assert f"APOC {versions['apoc']}" in out.stdout
    assert f"GDS {versions['gds']}" in out.stdout


def test_password_is_generated_and_private(neo4j_settings):
    f = neo4j_settings.credentials_file
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    user, password = neo4j_settings.neo4j_auth()
    assert user == "neo4j" and len(password) >= 24 and password != "neo4j"
    conf = (neo4j_settings.neo4j_home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.security.auth_enabled=true" in conf
    assert password not in conf


def test_wrong_password_is_refused(neo4j_settings):
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    with pytest.raises(AuthError), GraphDatabase.driver(
            neo4j_settings.bolt_uri(), auth=("neo4j", "neo4j")) as d:
        d.verify_connectivity()


def test_routing_scheme_works_against_the_single_server(neo4j_settings):
    from dataclasses import replace

    s = replace(neo4j_settings,
                neo4j_uri=f"neo4j://127.0.0.1:{neo4j_settings.neo4j_bolt_port}",
                neo4j_password=neo4j_settings.neo4j_auth()[1])
    with open_store(s, "neo4j") as st:
        assert st.read_cypher("RETURN 1 AS one").rows == [{"one": 1}]


def test_stop_then_start_reuses_the_data(neo4j_settings, test_env):
    with open_store(neo4j_settings, "neo4j") as st:
        st.clear()
        st.upsert("upsert_trader", [{"key": "T1", "props": {"name": "Kept"}}],
                  extra={"source": "traders.csv", "delivery": "d", "legal_basis": "register"})
    assert _cli(test_env, "neo4j", "stop").returncode == 0
    assert neo4j_local.running_pid(neo4j_settings) is None
    started = _cli(test_env, "neo4j", "start")
    assert started.returncode == 0, started.stderr
    assert "bolt://127.0.0.1:" in started.stdout
    with open_store(neo4j_settings, "neo4j") as st:
        assert st.run("trader_by_id", {"trader_id": "T1"})[0]["name"] == "Kept"
        st.clear()


def test_missing_java_is_named(monkeypatch):
    monkeypatch.setattr(neo4j_local.shutil, "which", lambda name: None)
    with pytest.raises(neo4j_local.Neo4jSetupError, match="Java is not installed"):
        neo4j_local.check_java()


def test_a_generated_password_is_never_read_as_an_option(tmp_path, settings, monkeypatch):
    """token_urlsafe may start with '-'; neo4j-admin must still take it as the password."""
    from dataclasses import replace

    s = replace(settings, home=tmp_path / "home")
    (s.neo4j_home / "conf").mkdir(parents=True)
    runtime = neo4j_local.install()
    (s.neo4j_home / "conf" / "neo4j.conf").write_text(neo4j_local.render_conf(s, runtime))
    monkeypatch.setattr(neo4j_local.secrets, "token_urlsafe", lambda n: "-starts-with-a-dash")
    neo4j_local._set_initial_password(s, runtime, neo4j_local.check_java())
    user, password = s.neo4j_auth()
    assert password == "g-starts-with-a-dash"
    assert (s.neo4j_home / "data" / "dbms" / "auth.ini").exists()


def test_neo4j_admin_imports_into_the_home_in_the_one_jvm_it_starts(tmp_path, settings):
    """neo4j-admin's launcher would start a second JVM for the tool ("Executing command
    line" in its verbose output); run as `admin` runs it, the tool itself answers, reads
    the home's configuration and writes the home's store."""
    from dataclasses import replace

    s = replace(settings, home=tmp_path / "home")
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,name\nT1,Één BV\nT2,Twee\n", encoding="utf-8")
    done = neo4j_local.admin(s, "database", "import", "full", "--verbose",
                             f"--nodes=Trader={nodes}",
                             f"--report-file={tmp_path / 'import.report'}", "neo4j")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "IMPORT DONE" in done.stdout and "Executing command line" not in done.stdout
    assert f"{s.neo4j_home / 'conf' / 'neo4j.conf'}" in done.stdout
    assert re.search(r"Imported:\s+2 nodes", done.stdout), done.stdout[-800:]
    assert (s.neo4j_home / "data" / "databases" / "neo4j" / "neostore").exists()
