from graphfraud.model import NODE_TYPES, REL_TYPES
from graphfraud.model.ddl import index_specs, render_schema_file
from graphfraud.store.library import CYPHER_DIR


def test_schema_files_agree_with_the_model():
    """`graphfraud schema --write` regenerates them; an edit to either side shows here."""
    assert (CYPHER_DIR / "schema.cypher").read_text() == render_schema_file("neo4j")
    assert (CYPHER_DIR / "schema.falkordb.cypher").read_text() == render_schema_file("falkordb")


def test_load_statements_agree_with_the_model():
    from graphfraud.model.loadgen import render_load_files

    files = render_load_files()
    on_disk = {p.name: p.read_text() for p in (CYPHER_DIR / "load").glob("*.cypher")}
    assert on_disk == files


def test_every_label_has_one_unique_key_constraint():
    specs = index_specs()
    labels = [n.label for n in NODE_TYPES]
    assert len(labels) == len(set(labels))
    for nt in NODE_TYPES:
        keys = [s for s in specs if s.label == nt.label and s.unique]
        assert [k.prop for k in keys] == [nt.key]
        assert f"REQUIRE n.{nt.key} IS UNIQUE" in (CYPHER_DIR / "schema.cypher").read_text()


def test_relationships_connect_declared_labels():
    labels = {n.label for n in NODE_TYPES}
    for rt in REL_TYPES:
        for side in (rt.start, rt.end):
            assert set(side.split("|")) <= labels, (rt.type, side)
    assert len({r.type for r in REL_TYPES}) == len(REL_TYPES)
