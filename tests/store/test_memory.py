"""The in-memory store takes typed writes as the ingest sends them and a statement's
name as other callers give it, and applies the load statements' semantics to both."""

from __future__ import annotations

import pytest

from graphfraud.model.operations import link_write, node_write
from graphfraud.store.base import StoreError
from graphfraud.store.memory import CollectingStore
from graphfraud.store.statements import statement_name

PROV = {"source": "movements.csv", "delivery": "d1", "legal_basis": "supervision"}
NODES = [(node_write("Movement"), [{"key": "ARC1", "props": {"status": "accepted"}}]),
         (node_write("Premise"), [{"key": "PR-1", "props": {}}]),
         (node_write("Address"), [{"key": "1011AA|1", "props": {}}])]
TO_PREMISE = link_write("DELIVERED_TO", "Movement", "Premise")
TO_ADDRESS = link_write("DELIVERED_TO", "Movement", "Address")


def _collect(named: bool) -> CollectingStore:
    st = CollectingStore()
    steps = [*NODES,
             (TO_PREMISE, [{"start": "ARC1", "end": "PR-1", "props": {}}]),
             (TO_ADDRESS, [{"start": "ARC1", "end": "1011AA|1", "props": {}},
                           {"start": "ARC1", "end": "9999ZZ|9", "props": {}}])]
    for write, rows in steps:
        st.upsert(statement_name(write) if named else write, rows, extra=PROV)
    return st


def test_a_single_valued_link_to_another_end_label_replaces_the_old_one():
    st = _collect(named=False)
    assert [(r.end_label, r.end) for r in st.rels.values()] == [("Address", "1011AA|1")]
    assert st.nodes["Movement"]["ARC1"] == {"arc": "ARC1", "status": "accepted",
                                            "sources": ["movements.csv"],
                                            "deliveries": ["d1"],
                                            "legal_bases": ["supervision"]}


def test_named_and_typed_writes_collect_the_same_graph():
    typed, named = _collect(named=False), _collect(named=True)
    assert typed.nodes == named.nodes and typed.rels == named.rels


def test_a_statement_that_is_no_load_statement_is_refused():
    with pytest.raises(StoreError, match="cannot run 'count_by_label'"):
        CollectingStore().upsert("count_by_label", [{}])
