"""The data page's counts from the engines' statistics (`data_label_counts`,
`data_relationship_counts`) equal the counts that read every node and relationship, on
both stores, also after a delete."""

from __future__ import annotations

TRADERS = [{"key": f"KVK:{i:08d}", "props": {"name": f"Handel {i}", "kvk_number": f"{i:08d}"}}
           for i in range(1, 6)]
ADDRESSES = [{"key": f"1011AA|{i}", "props": {"postcode": "1011AA", "house_number": str(i),
                                             "city": "Amsterdam"}} for i in range(1, 4)]
LINKS = [{"start": f"KVK:{i:08d}", "end": f"1011AA|{1 + i % 3}", "props": {}}
         for i in range(1, 6)]
PROV = {"source": "traders.csv", "delivery": "d1", "legal_basis": "register"}


def _counts(store, labels: str, types: str):
    return ({r["label"]: int(r["nodes"]) for r in store.run(labels)},
            {r["type"]: int(r["relationships"]) for r in store.run(types)})


def test_statistics_counts_equal_full_counts(store):
    store.upsert("upsert_trader", TRADERS, extra=PROV)
    store.upsert("upsert_address", ADDRESSES, extra=PROV)
    store.upsert("link_registered_at__trader_address", LINKS, extra=PROV)
    full = _counts(store, "count_by_label", "count_by_type")
    assert full == ({"Address": 3, "Trader": 5}, {"REGISTERED_AT": 5})
    assert _counts(store, "data_label_counts", "data_relationship_counts") == full
    # a delete (as a re-ingest that moves a link does) is in the statistics at once
    store._write("MATCH (:Trader {trader_id: 'KVK:00000001'})-[r:REGISTERED_AT]->() "
                 "DELETE r", {}, 30)
    store._write("MATCH (t:Trader {trader_id: 'KVK:00000002'}) DETACH DELETE t", {}, 30)
    full = _counts(store, "count_by_label", "count_by_type")
    assert full == ({"Address": 3, "Trader": 4}, {"REGISTERED_AT": 3})
    assert _counts(store, "data_label_counts", "data_relationship_counts") == full
