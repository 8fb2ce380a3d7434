"""One source per statement: the dialect rules, and the merged pairs' texts unchanged.

`fixtures/library_pairs_before_dialects.json` holds, for every statement that was a pair
of `.neo4j.cypher`/`.falkordb.cypher` files, the text each backend was sent before the
merge (`NamedQuery.text_for`, read by the loader of the commit named in the file). It is
captured once rather than computed from git so the check also runs in a shallow clone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphfraud.store.dialects import RULES, DialectError, render, uses_rules
from graphfraud.store.library import BACKENDS, QueryFileError, default_library, load_library

BEFORE = json.loads((Path(__file__).parent / "fixtures"
                     / "library_pairs_before_dialects.json").read_text(encoding="utf-8"))
#: the statements that stay two files, each differing throughout (its `// pair:` says how)
#: the statements that differ throughout (each engine's own command or procedure)
PAIRS = {"schema", "schema_constraints", "schema_indexes", "terminate_transactions",
         "transactions_tagged", "data_label_counts", "data_relationship_counts"}

HEADER = """// name: {name}
// purpose: a test query.
// params:
//   ids (list): ids
// mode: read
// used_by: tests
"""


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(BEFORE["texts"]))
def test_each_former_pair_sends_the_same_text_as_before(name: str, backend: str):
    assert default_library()[name].text_for(backend) == BEFORE["texts"][name][backend]


def test_only_statements_that_differ_throughout_stay_pairs():
    lib = default_library()
    pairs = {n for n, q in lib.items() if len(q.paths) > 1}
    assert pairs == PAIRS
    for name in pairs:
        assert lib[name].pair, f"{name}: a pair says why in `// pair:`"
    merged = set(BEFORE["texts"]) - PAIRS
    assert len(merged) == 12
    for name in merged:
        assert set(lib[name].paths) == {"any"}, name
        assert lib[name].text_for("neo4j") != lib[name].text_for("falkordb"), name


def test_no_rule_is_left_in_any_text_sent():
    for q in default_library().values():
        for backend in BACKENDS:
            assert not uses_rules(q.text_for(backend)), (q.name, backend)


def test_the_node_id_rules_per_backend():
    text = "MATCH (n) WHERE @id(n) = @id_value($id)\nRETURN @id_text(n) AS id"
    assert render(text, "neo4j") == "MATCH (n) WHERE elementId(n) = $id\nRETURN elementId(n) AS id"
    assert render(text, "falkordb") == ("MATCH (n) WHERE ID(n) = toInteger($id)\n"
                                        "RETURN toString(ID(n)) AS id")


def test_the_id_list_seek_and_its_membership_test():
    text = "@seek_each(a, $ids)\n@keep_ids(a, $ids)\nMATCH (a)--(m)\nWHERE @in_ids(m, $ids)\nRETURN m"
    assert render(text, "neo4j") == (
        "MATCH (a) WHERE elementId(a) IN $ids\nMATCH (a)--(m)\nWHERE elementId(m) IN $ids\nRETURN m")
    assert render(text, "falkordb") == (
        "UNWIND $ids AS i\nWITH DISTINCT toInteger(i) AS nid\nMATCH (a) WHERE ID(a) = nid\n"
        "WITH a, [i IN $ids | toInteger(i)] AS want\nMATCH (a)--(m)\nWHERE ID(m) IN want\nRETURN m")


def test_a_backend_line_goes_to_its_backend_only_and_rules_nest():
    text = "MATCH (a)-[r]-(m)\n@neo4j: RETURN @id(startNode(r)) = i AS o\n@falkordb: RETURN 1 AS o"
    assert render(text, "neo4j") == "MATCH (a)-[r]-(m)\nRETURN elementId(startNode(r)) = i AS o"
    assert render(text, "falkordb") == "MATCH (a)-[r]-(m)\nRETURN 1 AS o"
    assert render("RETURN @id_value(@id(n)) AS x", "falkordb") == "RETURN toInteger(ID(n)) AS x"


def test_text_without_rules_is_untouched():
    text = "MATCH (t:Trader {email: 'a@b.nl'})\nRETURN t  // @ in a string"
    assert not uses_rules(text)
    assert render(text, "neo4j") == render(text, "falkordb") == text


@pytest.mark.parametrize("text, message", [
    ("RETURN @idd(n)", "line 1: unknown rule @idd"),
    ("MATCH (n)\nRETURN @id(n, m)", "line 2: @id takes 1 argument"),
    ("RETURN @id(n", "not closed"),
    ("@memgraph: RETURN 1", "unknown backend 'memgraph'"),
])
def test_a_bad_rule_is_a_clear_error(text: str, message: str):
    with pytest.raises(DialectError, match=message):
        render(text, "neo4j")


def test_every_rule_has_a_text_for_each_backend():
    for rule in RULES.values():
        values = [f"v{i}" for i in range(len(rule.args))]
        assert rule.text("falkordb", values).strip()
        rule.text("neo4j", values)  # may be empty (a line FalkorDB alone needs)


def test_a_bad_rule_in_a_file_names_the_file(tmp_path: Path):
    (tmp_path / "q.cypher").write_text(HEADER.format(name="q") + "MATCH (n)\nRETURN @nid(n)")
    with pytest.raises(QueryFileError, match=r"q\.cypher: line 2: unknown rule @nid"):
        load_library(tmp_path)


def test_a_one_source_statement_renders_per_backend(tmp_path: Path):
    (tmp_path / "q.cypher").write_text(HEADER.format(name="q") + "@seek_each(n, $ids)\nRETURN n")
    q = load_library(tmp_path)["q"]
    assert q.text_for("neo4j") == "MATCH (n) WHERE elementId(n) IN $ids\nRETURN n"
    assert q.text_for("falkordb").startswith("UNWIND $ids AS i\n")
    assert not q.portable and set(q.paths) == {"any"}


def _pair(tmp_path: Path, neo4j_header: str, falkordb_header: str) -> None:
    (tmp_path / "v.neo4j.cypher").write_text(neo4j_header + "RETURN 1")
    (tmp_path / "v.falkordb.cypher").write_text(falkordb_header + "RETURN 2")


def test_a_pair_shares_one_header(tmp_path: Path):
    head = HEADER.format(name="v") + "// pair: the engines differ here\n"
    _pair(tmp_path, head, head.replace("a test query", "another purpose"))
    with pytest.raises(QueryFileError, match="header field `purpose` differs"):
        load_library(tmp_path)


def test_a_pair_says_why_it_is_a_pair(tmp_path: Path):
    _pair(tmp_path, HEADER.format(name="v"), HEADER.format(name="v"))
    with pytest.raises(QueryFileError, match="lacks `// pair:`"):
        load_library(tmp_path)


def test_a_pair_file_takes_no_rules(tmp_path: Path):
    head = HEADER.format(name="v") + "// pair: the engines differ here\n"
    (tmp_path / "v.neo4j.cypher").write_text(head + "RETURN @id(n)")
    (tmp_path / "v.falkordb.cypher").write_text(head + "RETURN 2")
    with pytest.raises(QueryFileError, match="takes no dialect rules"):
        load_library(tmp_path)
