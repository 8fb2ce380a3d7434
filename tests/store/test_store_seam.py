"""The GraphStore seam, run unchanged on the embedded graph and on the real Neo4j."""

import pytest

from graphfraud.store import ReadOnlyViolation, StoreError

TRADERS = [
    {"key": "KVK:12345678", "props": {"name": "Tabakshandel Jansen B.V.",
                                      "kvk_number": "12345678", "status": "active"}},
    {"key": "KVK:87654321", "props": {"name": "Grenswinkel Venlo",
                                      "kvk_number": "87654321", "status": "dissolved"}},
]
ADDRESS = [{"key": "5911AB|12", "props": {"postcode": "5911AB", "house_number": "12",
                                          "city": "Venlo"}}]
LINKS = [{"start": "KVK:12345678", "end": "5911AB|12", "props": {}},
         {"start": "KVK:87654321", "end": "5911AB|12", "props": {}}]
PROV = {"source": "traders.csv", "delivery": "d1", "legal_basis": "register"}


def _load(store):
    store.upsert("upsert_trader", TRADERS, extra=PROV)
    store.upsert("upsert_address", ADDRESS, extra=PROV)
    store.upsert("link_registered_at__trader_address", LINKS, extra=PROV)


def _counts(store):
    return ({r["label"]: r["nodes"] for r in store.run("count_by_label")},
            {r["type"]: r["relationships"] for r in store.run("count_by_type")})


def test_health_names_the_backend(store):
    h = store.health()
    assert h["ok"] is True and h["backend"] == store.kind


def test_schema_applied_twice_changes_nothing(store):
    first = store.schema_snapshot()
    store.apply_schema()
    assert store.schema_snapshot() == first
    assert len(first) >= 20


def test_upsert_is_idempotent_and_keeps_provenance(store):
    _load(store)
    once = _counts(store)
    _load(store)
    assert _counts(store) == once == ({"Address": 1, "Trader": 2}, {"REGISTERED_AT": 2})
    store.upsert("upsert_trader", TRADERS[:1], extra={**PROV, "delivery": "d2"})
    row = store.read_cypher("MATCH (t:Trader {trader_id: $id}) RETURN t.sources AS s, "
                            "t.deliveries AS d, t.legal_bases AS b", {"id": "KVK:12345678"})
    assert row.rows == [{"s": ["traders.csv"], "d": ["d1", "d2"], "b": ["register"]}]


def test_single_valued_link_replaces_the_old_end(store):
    _load(store)
    store.upsert("upsert_address", [{"key": "1011AA|1", "props": {"city": "Amsterdam"}}],
                 extra=PROV)
    store.upsert("link_registered_at__trader_address",
                 [{"start": "KVK:12345678", "end": "1011AA|1", "props": {}}], extra=PROV)
    rows = store.read_cypher("MATCH (t:Trader)-[:REGISTERED_AT]->(a) RETURN t.trader_id AS t, "
                             "a.address_key AS a ORDER BY t").rows
    assert rows == [{"t": "KVK:12345678", "a": "1011AA|1"},
                    {"t": "KVK:87654321", "a": "5911AB|12"}]


def test_upsert_many_runs_its_statements_in_order_as_upsert_does(store):
    sent = store.upsert_many([("upsert_trader", TRADERS), ("upsert_address", ADDRESS),
                              ("link_registered_at__trader_address", LINKS),
                              ("upsert_phone", [])], extra=PROV)
    assert sent == 5
    assert _counts(store) == ({"Address": 1, "Trader": 2}, {"REGISTERED_AT": 2})
    row = store.read_cypher("MATCH (:Trader {trader_id: $id})-[r:REGISTERED_AT]->() "
                            "RETURN r.sources AS s", {"id": "KVK:12345678"})
    assert row.rows == [{"s": ["traders.csv"]}]


def test_upsert_many_is_one_transaction_on_neo4j_only(store):
    bad_key = [{"key": None, "props": {}}]  # MERGE on a null key fails in both engines
    with pytest.raises(StoreError, match="upsert_address"):
        store.upsert_many([("upsert_trader", TRADERS), ("upsert_address", bad_key)],
                          extra=PROV)
    traders = _counts(store)[0].get("Trader", 0)
    # Neo4j rolls the whole batch back; FalkorDB has no multi-statement transaction, so
    # the statement that ran before the failure stays (documented in falkordb_store)
    assert traders == (0 if store.kind == "neo4j" else 2)


def test_upsert_many_refuses_a_read_query_before_writing_anything(store):
    with pytest.raises(StoreError, match="not a write query"):
        store.upsert_many([("upsert_trader", TRADERS), ("count_by_label", [{}])], extra=PROV)
    assert _counts(store) == ({}, {})


def test_named_query_with_parameters(store):
    _load(store)
    rows = store.run("traders_at_address", {"address_key": "5911AB|12"})
    assert [r["trader_id"] for r in rows] == ["KVK:12345678", "KVK:87654321"]
    assert store.run("trader_by_id", {"trader_id": "nope"}) == []


def test_reads_cannot_write(store):
    with pytest.raises(StoreError):
        store.read_cypher("CREATE (n:Trader {trader_id: 'x'}) RETURN n")
    assert _counts(store) == ({}, {})


def test_row_cap_cuts_and_says_so(store):
    res = store.read_cypher("UNWIND range(1, 50) AS i RETURN i", row_cap=10)
    assert [r["i"] for r in res.rows] == list(range(1, 11)) and res.truncated
    assert not store.read_cypher("UNWIND range(1, 5) AS i RETURN i", row_cap=10).truncated


def test_nodes_and_paths_come_back_as_plain_dicts(store):
    _load(store)
    res = store.read_cypher("MATCH p = (t:Trader {trader_id: 'KVK:12345678'})"
                            "-[r:REGISTERED_AT]->(a) RETURN t, r, a, p")
    row = res.rows[0]
    assert row["t"]["_labels"] == ["Trader"] and row["t"]["name"].startswith("Tabak")
    assert row["r"]["_type"] == "REGISTERED_AT"
    assert row["r"]["_start"] == row["t"]["_id"] and row["r"]["_end"] == row["a"]["_id"]
    assert row["p"]["_path"] and len(row["p"]["nodes"]) == 2


def test_stream_refuses_write_queries(store):
    with pytest.raises(ReadOnlyViolation):
        list(store.stream("delete_batch", {"batch": 1}))
    _load(store)
    assert sorted(r["label"] for r in store.stream("count_by_label")) == ["Address", "Trader"]


def test_failed_query_names_it(store):
    with pytest.raises(StoreError, match="traders_at_address"):
        store.run("traders_at_address", {})  # missing parameter


@pytest.mark.neo4j
def test_both_backends_return_the_same_rows(stores):
    answers = {}
    for kind, st in stores.items():
        _load(st)
        answers[kind] = (st.run("traders_at_address", {"address_key": "5911AB|12"}),
                         st.run("trader_by_id", {"trader_id": "KVK:87654321"}))
    assert answers["embedded"] == answers["neo4j"]
    assert answers["neo4j"][1][0]["city"] == "Venlo"
