import json
import subprocess
import sys

from click.testing import CliRunner

from graphfraud.cli import main


def test_help_lists_every_command():
    out = CliRunner().invoke(main, ["--help"]).output
    for cmd in ("neo4j", "generate", "ingest", "detect", "evaluate", "query", "ui", "demo"):
        assert f"  {cmd} " in out


def _query(env, *args):
    return subprocess.run([sys.executable, "-m", "graphfraud.cli", "query", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_query_prints_json_rows(embedded_settings, test_env):
    out = _query(test_env, "--cypher", "UNWIND [1, 2] AS i RETURN i, 'x' AS s",
                 "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [{"i": 1, "s": "x"}, {"i": 2, "s": "x"}]


def test_named_query_with_typed_param(embedded_settings, test_env):
    out = _query(test_env, "trader_by_id", "--param", "trader_id=nobody", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("trader_id,name,kvk_number")


def test_write_is_refused_with_non_zero_exit(embedded_settings, test_env):
    out = _query(test_env, "--cypher", "CREATE (n:X) RETURN n")
    assert out.returncode != 0 and "read-only" in out.stderr
    out = _query(test_env, "delete_batch")
    assert out.returncode != 0 and "write query" in out.stderr
