"""The store edge: every typed write of the schema renders to a generated load statement
of the library, on both backends, and the stores run typed writes as those statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.model.loadgen import bulk_name, fresh_name
from graphfraud.model.operations import NodeWrite, all_writes, link_write, node_write
from graphfraud.store.library import BACKENDS, default_library
from graphfraud.store.memory import CollectingStore
from graphfraud.store.statements import statement_name, write_named

LOAD_DIR = Path(__file__).resolve().parents[2] / "cypher" / "load"


@pytest.mark.parametrize("write", all_writes(), ids=statement_name)
def test_every_write_renders_to_its_load_statement_on_both_backends(write):
    q = default_library()[statement_name(write)]
    assert q.mode == "write" and q.used_by == "ingest loaders"
    for backend in BACKENDS:
        text = q.text_for(backend)
        if isinstance(write, NodeWrite):
            assert f"MERGE (n:{write.label} {{{write.key}: row.key}})" in text
        else:
            assert f"MATCH (a:{write.start} {{" in text and f"MATCH (b:{write.end} {{" in text
            assert f"MERGE (a)-[r:{write.rel}" in text
            assert ("DELETE old" in text) == write.single


def test_the_writes_are_exactly_the_generated_load_statements():
    """Every write has its load statement and, for the Neo4j first load, its CREATE twin
    (`fresh_`) and, for the Bolt bulk load, its collected-graph twin (`bulk_`); no other
    file is in the folder."""
    files = {p.name.split(".")[0] for p in LOAD_DIR.glob("*.cypher")}
    names = {statement_name(w) for w in all_writes()}
    assert files == names | {fresh_name(n) for n in names} | {bulk_name(n) for n in names}
    assert all(write_named(statement_name(w)) is w for w in all_writes())
    assert write_named("count_by_label") is None


def test_a_name_passes_the_edge_unchanged():
    assert statement_name("upsert_trader") == "upsert_trader"
    assert statement_name(node_write("Trader")) == "upsert_trader"
    assert statement_name(link_write("HAS_PHONE", "Person", "Phone")) == (
        "link_has_phone__person_phone")


TRADERS = [{"key": "KVK:1", "props": {"name": "Tabak Een B.V."}},
           {"key": "KVK:2", "props": {"name": "Tabak Twee B.V."}}]
PERSON = [{"key": "P-1", "props": {"full_name": "Jan Jansen"}}]
ADDRESSES = [{"key": "5911AB|12", "props": {"city": "Venlo"}},
             {"key": "1011AA|1", "props": {"city": "Amsterdam"}}]
ROLES = [{"start": "P-1", "end": "KVK:1", "role": "director", "props": {"since": "2020-01-01"}},
         {"start": "P-1", "end": "KVK:1", "role": "owner", "props": {}},
         {"start": "P-1", "end": "KVK:2", "role": "director", "props": {}}]
PROV = {"source": "traders.csv", "delivery": "d1", "legal_basis": "register"}


def _batch(registered_at: str) -> list:
    return [(node_write("Trader"), TRADERS), (node_write("Person"), PERSON),
            (node_write("Address"), ADDRESSES),
            (link_write("REGISTERED_AT", "Trader", "Address"),
             [{"start": "KVK:1", "end": registered_at, "props": {}},
              {"start": "KVK:2", "end": "5911AB|12", "props": {}}]),
            (link_write("HAS_ROLE", "Person", "Trader"), ROLES)]


def _graph(store) -> tuple:
    labels = {r["label"]: r["nodes"] for r in store.run("count_by_label")}
    types = {r["type"]: r["relationships"] for r in store.run("count_by_type")}
    rows = store.read_cypher(
        "MATCH (t:Trader)-[:REGISTERED_AT]->(a:Address) RETURN t.trader_id AS t, "
        "a.address_key AS a ORDER BY t").rows
    return labels, types, [(r["t"], r["a"]) for r in rows]


def test_a_store_runs_typed_writes_as_their_statements(store):
    assert store.upsert_many(_batch("5911AB|12"), extra=PROV) == 10
    store.upsert_many(_batch("1011AA|1"), extra=PROV)  # a single-valued link replaced
    assert _graph(store) == ({"Address": 2, "Person": 1, "Trader": 2},
                             {"HAS_ROLE": 3, "REGISTERED_AT": 2},
                             [("KVK:1", "1011AA|1"), ("KVK:2", "5911AB|12")])


def test_the_in_memory_store_collects_typed_writes_as_the_stores_run_them():
    st = CollectingStore()
    st.upsert_many(_batch("5911AB|12"), extra=PROV)
    st.upsert_many(_batch("1011AA|1"), extra=PROV)
    assert st.counts() == {"nodes": {"Address": 2, "Person": 1, "Trader": 2},
                           "relationships": {"HAS_ROLE": 3, "REGISTERED_AT": 2}}
    assert sorted((r.start, r.end) for r in st.rels.values() if r.type == "REGISTERED_AT") == [
        ("KVK:1", "1011AA|1"), ("KVK:2", "5911AB|12")]
