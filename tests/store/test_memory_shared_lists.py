"""`CollectingStore` shares a batch's one-value provenance lists between the nodes and
relationships that have only that value; a second value makes a list of the node's own,
and the shared list never changes."""

from __future__ import annotations

from graphfraud.model.operations import link_write, node_write
from graphfraud.store.memory import CollectingStore

TRADER, PHONE = node_write("Trader"), node_write("Phone")
HAS_PHONE = link_write("HAS_PHONE", "Trader", "Phone")
A = {"source": "traders.csv", "delivery": "d1", "legal_basis": "register"}
B = {"source": "movements.csv", "delivery": "d1", "legal_basis": "supervision"}


def test_a_second_source_makes_a_list_of_its_own():
    st = CollectingStore()
    st.upsert(TRADER, [{"key": "T1", "props": {"name": "a"}},
                       {"key": "T2", "props": {"name": "b"}}], extra=A)
    st.upsert(PHONE, [{"key": "+31", "props": {}}], extra=A)
    st.upsert(HAS_PHONE, [{"start": "T1", "end": "+31", "props": {}},
                          {"start": "T2", "end": "+31", "props": {}}], extra=A)
    st.upsert(TRADER, [{"key": "T2", "props": {}}], extra=B)
    t1, t2 = st.nodes["Trader"]["T1"], st.nodes["Trader"]["T2"]
    assert t1 == {"trader_id": "T1", "name": "a", "sources": ["traders.csv"],
                  "deliveries": ["d1"], "legal_bases": ["register"]}
    assert t2["sources"] == ["traders.csv", "movements.csv"]
    assert t2["legal_bases"] == ["register", "supervision"]
    assert t2["deliveries"] == ["d1"] and t2["deliveries"] is t1["deliveries"]
    assert t2["sources"] is not t1["sources"]
    rels = list(st.rels.values())
    assert [r.props["sources"] for r in rels] == [["traders.csv"], ["traders.csv"]]
    assert rels[0].props["sources"] is t1["sources"]  # one list, unchanged by T2's


def test_a_list_given_in_the_row_is_added_to_not_replaced():
    st = CollectingStore()
    st.upsert(TRADER, [{"key": "T1", "props": {"sources": ["tip"]}}], extra=A)
    assert st.nodes["Trader"]["T1"]["sources"] == ["tip", "traders.csv"]
    st.clear()
    st.upsert(TRADER, [{"key": "T1", "props": {}}], extra=A)
    assert st.nodes["Trader"]["T1"]["sources"] == ["traders.csv"]
