"""`graphfraud case ...` and `graphfraud alerts` end to end on the embedded store: the
same Session behind them as behind the UI."""

from __future__ import annotations

import json
import os
import re

from _auth import login_env
from click.testing import CliRunner

from graphfraud.cli import main


def _cli(env: dict[str, str], *args: str):
    clean = {k: None for k in os.environ if k.startswith("GRAPHFRAUD_")}
    out = CliRunner().invoke(main, list(args), env={**clean, **env})
    return out


def test_case_commands_from_new_to_export(embedded_settings, test_env, tmp_path):
    inv = login_env(test_env, "investigator")
    made = _cli(inv, "case", "new", "FIOD-CLI-1", "--title", "Empty case from the CLI",
                "--store", "embedded")
    assert made.exit_code == 0, made.output
    case_id = re.search(r"case (CASE-\w+)", made.output).group(1)
    assert _cli(inv, "case", "note", case_id, "First note").exit_code == 0
    bad = _cli(inv, "case", "status", case_id, "handed_over", "--reason", "x")
    assert bad.exit_code != 0 and "cannot become" in bad.output
    ok = _cli(inv, "case", "status", case_id, "investigating", "--reason", "started")
    assert ok.exit_code == 0 and "open -> investigating" in ok.output
    shown = json.loads(_cli(inv, "case", "show", case_id, "--format", "json").output)
    assert shown["case"]["status"] == "investigating"
    assert [n["text"] for n in shown["notes"]] == ["First note", "started"]
    manager = _cli(login_env(test_env, "manager"), "case", "list", "--format", "json")
    counts = json.loads(manager.output)
    assert counts and set(counts[0]) == {"status", "cases"}  # counts only
    assert "FIOD-CLI-1" not in manager.output
    for suffix in ("pdf", "html"):
        out = tmp_path / f"report.{suffix}"
        done = _cli(inv, "case", "export", case_id, "--out", str(out))
        assert done.exit_code == 0, done.output
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "FIOD-CLI-1" in (tmp_path / "report.html").read_text()
    listed = _cli(inv, "alerts", "--watch", "Trader:KVK:00000000")
    assert listed.exit_code == 0 and "unread of" in listed.output
    other = _cli(inv, "alerts", "--user", "somebody-else")
    assert other.exit_code != 0 and "only their own" in other.output


def test_alerts_watch_a_query_refresh_and_mark_read(embedded_settings, test_env):
    inv = login_env(test_env, "investigator")
    cypher = "MATCH (c:Case) WHERE c.reference STARTS WITH 'OM-WQ-' RETURN c.reference AS ref"
    made = _cli(inv, "alerts", "--watch-cypher", cypher, "--label", "my WQ cases",
                "--purpose", "case OM-WQ-1", "--store", "embedded")
    assert made.exit_code == 0, made.output
    assert "watching query my WQ cases" in made.output and ": 0 rows now" in made.output
    watch_id = re.search(r"\((\w{20})\)", made.output).group(1)
    listed = json.loads(_cli(inv, "alerts", "--watches", "--format", "json").output)
    assert [w["query"] for w in listed if w["watch_id"] == watch_id] == [cypher]
    assert _cli(inv, "case", "new", "OM-WQ-1", "--title", "A new row").exit_code == 0
    raised = _cli(inv, "alerts", "--refresh", "--unread")
    assert raised.exit_code == 0, raised.output
    assert int(re.search(r"^(\d+) new alerts", raised.output, re.M).group(1)) >= 1
    mine = [a for a in json.loads(_cli(inv, "alerts", "--format", "json").output)
            if a["subject"] == "Query:my WQ cases"]  # other tests' watchers share the graph
    assert [(a["rule"], a["detail"], a["read"]) for a in mine] == [
        ("query_row", "ref=OM-WQ-1", False)]
    unread = int(re.search(r"(\d+) unread of", raised.output).group(1))
    assert unread >= 1
    again = _cli(inv, "alerts", "--refresh")
    assert re.search(r"^(\d+) new alerts", again.output, re.M).group(1) == "0"
    alert_id = next(a["alert_id"] for a in json.loads(
        _cli(inv, "alerts", "--format", "json").output) if a["detail"] == "ref=OM-WQ-1")
    one = _cli(inv, "alerts", "--read", alert_id)
    assert "1 alerts marked read" in one.output
    assert f"{unread - 1} unread of" in one.output
    done = _cli(inv, "alerts", "--read-all", "--unwatch", watch_id)
    assert "0 unread of" in done.output and f"watch {watch_id} ended" in done.output
