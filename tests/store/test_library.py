from pathlib import Path

import pytest

from graphfraud.store.library import (
    BACKENDS,
    QueryFileError,
    default_library,
    get_query,
    load_library,
)

HEADER = """// name: {name}
// purpose: a test query.
// params:
//   x (int, default 3): a number
// mode: {mode}
// used_by: tests
"""


def test_every_library_file_parses_with_a_complete_header():
    lib = default_library()
    assert "trader_by_id" in lib and "schema" in lib
    for q in lib.values():
        assert q.purpose and q.used_by and q.mode in ("read", "write", "schema")
        for backend in BACKENDS:
            assert q.text_for(backend).strip()
            assert "// name:" not in q.text_for(backend)


def test_params_are_typed_with_defaults(tmp_path: Path):
    (tmp_path / "q.cypher").write_text(HEADER.format(name="q", mode="read") + "RETURN $x AS x\n")
    q = load_library(tmp_path)["q"]
    assert q.params[0].name == "x" and q.params[0].type == "int"
    assert q.params[0].default == "3"
    assert q.text_for("neo4j") == "RETURN $x AS x"


def test_backend_variants_side_by_side(tmp_path: Path):
    pair = HEADER.format(name="v", mode="read") + "// pair: the engines differ here\n"
    (tmp_path / "v.neo4j.cypher").write_text(pair + "RETURN 1")
    (tmp_path / "v.falkordb.cypher").write_text(pair + "RETURN 2")
    q = load_library(tmp_path)["v"]
    assert q.text_for("neo4j") == "RETURN 1" and q.text_for("falkordb") == "RETURN 2"
    assert not q.portable


def test_a_lone_variant_is_refused(tmp_path: Path):
    (tmp_path / "v.neo4j.cypher").write_text(HEADER.format(name="v", mode="read") + "RETURN 1")
    with pytest.raises(QueryFileError, match="lacks"):
        load_library(tmp_path)


@pytest.mark.parametrize("text, message", [
    ("RETURN 1\n", "lacks `// name:`"),
    (HEADER.format(name="other", mode="read") + "RETURN 1", "differs from the file name"),
    (HEADER.format(name="q", mode="delete") + "RETURN 1", "mode must be one of"),
    (HEADER.format(name="q", mode="read"), "no statement"),
])
def test_bad_headers_name_the_file(tmp_path: Path, text: str, message: str):
    (tmp_path / "q.cypher").write_text(text)
    with pytest.raises(QueryFileError, match=message):
        load_library(tmp_path)


def test_unknown_query_is_a_clear_error():
    with pytest.raises(KeyError, match="no query named 'nope'"):
        get_query("nope")
