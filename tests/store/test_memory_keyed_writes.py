"""The collecting store's grouped writes (`upsert_keyed`, `upsert_edges`: the bulk load's
movements) make the graph its row writes make, and its per-type index of the
relationships entity resolution reads stays the relationships themselves through
single-valued replacement and clears."""

from __future__ import annotations

import pytest

from graphfraud.model.operations import link_write, node_write
from graphfraud.store.base import StoreError
from graphfraud.store.memory import CollectingStore

MOVEMENT, ADDRESS, PREMISE = node_write("Movement"), node_write("Address"), node_write("Premise")
TO_ADDRESS = link_write("DELIVERED_TO", "Movement", "Address")
TO_PREMISE = link_write("DELIVERED_TO", "Movement", "Premise")
ONE, TWO = ({"source": "a.csv", "delivery": "d1", "legal_basis": "x"},
            {"source": "b.csv", "delivery": "d2", "legal_basis": "x"})


def _graph(store: CollectingStore) -> tuple:
    return store.counts(), store.nodes, list(store.rels.items())


def _both(steps) -> tuple[CollectingStore, CollectingStore]:
    rows, grouped = CollectingStore(), CollectingStore()
    for write, batch, extra in steps:
        if hasattr(write, "key"):
            rows.upsert(write, [{"key": k, "props": p} for k, p in batch.items()], extra=extra)
            grouped.upsert_keyed(write, batch, extra)
        else:
            rows.upsert(write, [{"start": s, "end": e, "props": {}} for s, e in batch],
                        extra=extra)
            grouped.upsert_edges(write, batch, extra)
    return rows, grouped


def test_grouped_writes_make_the_graph_the_row_writes_make():
    rows, grouped = _both([
        (MOVEMENT, {"m1": {"status": "x"}, "m2": {}}, ONE),
        (ADDRESS, {"a1": {"city": "Breda"}, "a2": {"city": "Ede"}}, ONE),
        (PREMISE, {"p1": {}}, ONE),
        (TO_ADDRESS, [("m1", "a1"), ("m2", "a2"), ("m3", "a1"), ("m1", "nowhere")], ONE),
        # a later batch: a value overwritten, a second source, the link moved and back
        (MOVEMENT, {"m1": {"status": "y", "extra": 1}}, TWO),
        (TO_PREMISE, [("m1", "p1")], TWO),
        (TO_ADDRESS, [("m2", "a2"), ("m1", "a1")], TWO),
    ])
    assert _graph(grouped) == _graph(rows)
    assert grouped.nodes["Movement"]["m1"]["sources"] == ["a.csv", "b.csv"]
    assert [(r.start, r.end_label, r.end) for r in grouped.rels.values()] == \
        [("m2", "Address", "a2"), ("m1", "Address", "a1")]


def test_edges_with_key_properties_are_refused():
    store = CollectingStore()
    keyed = link_write("HAS_ROLE", "Person", "Trader")
    assert keyed.keys  # the role
    with pytest.raises(StoreError):
        store.upsert_edges(keyed, [("a", "b")], ONE)


def _registered(store: CollectingStore, trader: str, address: str) -> None:
    store.upsert("upsert_address", [{"key": address, "props": {"city": address}}], extra=ONE)
    store.upsert("link_registered_at__trader_address", [{"start": trader, "end": address}],
                 extra=ONE)


def test_the_type_index_follows_replacement_and_clears():
    store = CollectingStore()
    store.upsert("upsert_trader", [{"key": t, "props": {"name": t}} for t in ("t1", "t2")],
                 extra=ONE)
    _registered(store, "t1", "old")
    _registered(store, "t1", "new")  # single-valued: the old address link goes
    assert [r["city"] for r in store.run("er_traders")] == ["new", None]
    assert list(store._typed["REGISTERED_AT"]) == [k for k, r in store.rels.items()
                                                   if r.type == "REGISTERED_AT"]
    store.upsert("upsert_namemention", [{"key": "n1", "props": {"text": "A"}}], extra=ONE)
    same = [{"start": "n1", "end": t, "props": {"status": s, "score": 0.9}}
            for t, s in (("t1", "linked"), ("t2", "rejected"))]
    store.upsert("link_same_as__namemention_trader", same, extra=ONE)
    assert store.run("er_mentions")[0]["rejected"] == ["t2"]
    removed = store.run("er_clear_automatic_links")[0]["removed"]
    left = [r.props["status"] for r in store.rels.values() if r.type == "SAME_AS"]
    assert (removed, left) == (1, ["rejected"])
    assert list(store._typed["SAME_AS"]) == [k for k, r in store.rels.items()
                                             if r.type == "SAME_AS"]
