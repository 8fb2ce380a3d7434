"""Security enforced in the core, against the live stores: hostile Cypher refused or cut,
managers never see persons, every action audited once, cards complete, no Cypher built
from strings anywhere in the code."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphfraud.security.guard import QueryRefused
from graphfraud.security.roles import PermissionDenied
from graphfraud.security.session import PurposeRequired, Session, audit_path
from graphfraud.security.users import User
from graphfraud.store.base import StoreError
from graphfraud.store.graphhash import graph_fingerprint

sys.path.insert(0, str(Path(__file__).parent))
from test_security_guard import HOSTILE  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CUT = [  # pass the guard, but the row cap or the time-out stops them
    "MATCH (a), (b), (c) RETURN a, b, c",
    "UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n",
    "MATCH (a), (b) RETURN count(*) AS n",
]


def test_hostile_queries_are_refused_or_cut_and_the_graph_is_unchanged(world):
    store, settings, _ = world
    before = graph_fingerprint(store)
    analyst = Session(store, settings, User("ana", "analyst"), row_cap=50, timeout_s=1.0)
    refused = 0
    for text, _why in HOSTILE:
        with pytest.raises((QueryRefused, StoreError)):
            analyst.free_cypher(text)
        refused += 1
    cut = 0
    for text in CUT:
        try:
            res = analyst.free_cypher(text)
            assert res.truncated or len(res.rows) <= 50
        except QueryRefused as exc:  # now stopped before the engine (security/limits.py)
            assert "range()" in exc.reason and "at most" in exc.reason, exc.reason
        except StoreError as exc:  # the time-out
            assert "time" in str(exc).lower() or "timeout" in str(exc).lower(), exc
        cut += 1
    assert refused + cut >= 50
    assert graph_fingerprint(store) == before


def _personal_values(out: Path) -> set[str]:
    import csv

    values = set()
    with open(out / "persons.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            values |= {r["full_name"], r["birth_date"]}
            if r.get("street"):
                values.add(f"{r['street']}")
    return {v for v in values if v and len(v) > 4}


def test_a_manager_never_receives_a_person(world):
    from graphfraud.store.library import default_library

    store, settings, out = world
    manager = Session(store, settings, User("mia", "manager"))
    with pytest.raises(PermissionDenied):
        manager.free_cypher("MATCH (p:Person) RETURN p.full_name")
    with pytest.raises(PermissionDenied):
        manager.view_person("P-0000001", purpose="curiosity")
    received = [manager.eps_shares()]
    secret = _personal_values(out)
    for q in default_library().values():
        if q.mode != "read" or q.group in ("signals", "ingest", "admin"):
            continue
        params = {p.name: "P-0000001" if "person" in p.name else "x" for p in q.params}
        try:
            received.append(manager.library_query(q.name, params).rows)
        except PermissionDenied:
            continue
    text = json.dumps(received, default=str)
    leaked = sorted(v for v in secret if v in text)
    assert leaked == []


def test_every_action_writes_exactly_one_audit_record(world):
    """One record per consultation, with its outcome: refusals are recorded too."""
    from graphfraud.security.audit import read

    store, settings, _ = world
    inv = Session(store, settings, User("ivo", "investigator"))
    path = audit_path(settings)
    expected = 0

    def count() -> int:
        return len(read(path)) if path.exists() else 0

    inv.library_query("trader_by_id", {"trader_id": "nobody"})
    expected += 1
    assert count() == expected
    with pytest.raises(PermissionDenied):
        Session(store, settings, User("mia", "manager")).free_cypher("RETURN 1")
    expected += 1
    assert count() == expected  # refused: one record, marked refused
    with pytest.raises(PurposeRequired):
        inv.view_person("P-0000001", purpose="")
    expected += 1
    inv.view_person("P-0000001", purpose="case 2023-17", case_ref="2023-17")
    expected += 1
    assert count() == expected
    inv.decide_finding("F-x", "dismissed", "legal border shop")
    expected += 1
    inv.record_export("explorer view", 12)
    expected += 1
    assert count() == expected
    records = read(path)
    assert [r["action"] for r in records] == ["query", "query", "view_person", "view_person",
                                              "finding_decision", "export"]
    assert [r["detail"]["outcome"] for r in records] == ["ok", "refused", "refused", "ok",
                                                         "ok", "ok"]
    assert records[1]["user"] == "mia" and records[1]["result_size"] == 0
    assert records[3]["purpose"] == "case 2023-17" and records[3]["user"] == "ivo"
    decisions = (settings.home / "decisions.jsonl").read_text().splitlines()
    assert len(decisions) == 1 and json.loads(decisions[0])["decision"] == "dismissed"


def test_editing_one_byte_of_the_log_is_detected_and_named(embedded_settings, test_env,
                                                           tmp_path):
    from _auth import login_env

    analyst = login_env(test_env, "analyst", tmp_path)
    env = login_env(test_env, "admin", tmp_path)
    run = lambda *a, env=env: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "graphfraud.cli", *a], env=env, capture_output=True,
        text=True, timeout=120)
    for _ in range(3):
        assert run("query", "--cypher", "RETURN 1 AS one", env=analyst).returncode == 0
    assert run("audit", "verify").returncode == 0
    log = tmp_path / "audit.jsonl"
    data = bytearray(log.read_bytes())
    second = data.index(b"\n") + 1
    pos = data.index(b'"one"', second) if b'"one"' in data[second:] else second + 40
    data[pos + 1] = ord("0")
    log.write_bytes(bytes(data))
    out = run("audit", "verify")
    assert out.returncode == 1 and "seq 2" in out.stderr


def test_register_cards_carry_every_mandatory_field(tmp_path):
    from graphfraud.detect.register_cards import MANDATORY, validate, write_cards

    paths = write_cards(tmp_path)
    cards = [json.loads(p.read_text()) for p in paths if p.suffix == ".json"]
    assert len(cards) == 5
    for c in cards:
        assert validate(c) == [] and all(c[k] for k in MANDATORY)
        assert len(c["short_description"]) <= 350
        assert c["technical_operation"]["signals"] and c["technical_operation"]["self_learning"] is False


# A statement starts with a clause; messages that merely mention one do not.
CYPHER_WORDS = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|MERGE|CREATE|RETURN|UNWIND|WITH|CALL|"
                          r"DETACH DELETE|DELETE|LOAD CSV|SHOW)\b", re.IGNORECASE)


def _formatted_cypher(path: Path) -> list[int]:
    """Lines where Cypher-looking text is built by f-string, % or .format() with values."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    messages = {id(n) for r in ast.walk(tree) if isinstance(r, ast.Raise)
                for n in ast.walk(r)}  # error messages that quote a clause are no statements
    bad = []
    for node in ast.walk(tree):
        if id(node) in messages:
            continue
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            literal = first.value if isinstance(first, ast.Constant) and \
                isinstance(first.value, str) else ""
            if CYPHER_WORDS.search(literal) and any(isinstance(v, ast.FormattedValue)
                                                    for v in node.values):
                bad.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and \
                isinstance(node.left, ast.Constant) and isinstance(node.left.value, str) and \
                CYPHER_WORDS.search(node.left.value):
            bad.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "format" and isinstance(node.func.value, ast.Constant) and \
                isinstance(node.func.value.value, str) and CYPHER_WORDS.search(node.func.value.value):
            bad.append(node.lineno)
    return bad


def test_no_python_file_builds_cypher_from_strings():
    allowed = {REPO / "graphfraud" / "model" / "ddl.py",  # schema text from the model, no values
               REPO / "graphfraud" / "model" / "loadgen.py"}
    offenders = {}
    for path in sorted(REPO.glob("**/*.py")):
        if any(part in (".git", ".venv", "node_modules", "deploy", ".graphfraud")
               for part in path.parts):
            continue
        if path in allowed or "tests" in path.parts:
            continue
        lines = _formatted_cypher(path)
        if lines:
            offenders[str(path.relative_to(REPO))] = lines
    assert offenders == {}


def test_the_checker_catches_a_formatted_statement(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('name = "x"\nq = f"MATCH (t:Trader {{name: \'{name}\'}}) RETURN t"\n'
                   'r = "MATCH (n) WHERE n.x = %s RETURN n" % name\n')
    assert _formatted_cypher(bad) == [2, 3]


def test_published_cards_match_the_code(tmp_path):
    """docs/register is regenerated by `graphfraud register-cards`; a stale card fails here."""
    from graphfraud.detect.register_cards import write_cards

    for path in write_cards(tmp_path):
        assert (REPO / "docs" / "register" / path.name).read_text() == path.read_text(), path.name
