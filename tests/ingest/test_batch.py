"""A batch groups operations by their typed write: upserts merged, a relationship kept
once per key (its key properties and single-valuedness read from the write), in the
loader's order, which may name the writes or their statements."""

from __future__ import annotations

import pytest

from graphfraud.ingest.batch import Grouped, writes_in
from graphfraud.ingest.emcs.loader import EmcsLoader
from graphfraud.ingest.framework import link, node
from graphfraud.ingest.run import LOADERS, group_operations
from graphfraud.model.operations import link_write, node_write

TRADER, PERSON = node_write("Trader"), node_write("Person")
HAS_ROLE = link_write("HAS_ROLE", "Person", "Trader")
REGISTERED_AT = link_write("REGISTERED_AT", "Trader", "Address")
HAS_PHONE = link_write("HAS_PHONE", "Trader", "Phone")


def test_operations_carry_typed_writes():
    assert node("Trader", "KVK:1", {"name": "A", "status": None}) == (
        TRADER, {"key": "KVK:1", "props": {"name": "A"}})
    assert link("HAS_ROLE", "Person", "P-1", "Trader", "KVK:1", {"since": None},
                role="director") == (HAS_ROLE, {"start": "P-1", "end": "KVK:1", "props": {},
                                                "role": "director"})


def test_upserts_merge_and_links_keep_one_row_per_key_in_order_of_last_occurrence():
    ops = [node("Trader", "KVK:1", {"name": "A", "status": "active"}),
           node("Person", "P-1"),
           node("Trader", "KVK:1", {"name": "A2"}),
           link("HAS_ROLE", "Person", "P-1", "Trader", "KVK:1", role="director"),
           link("HAS_ROLE", "Person", "P-1", "Trader", "KVK:1", role="owner"),
           link("HAS_ROLE", "Person", "P-1", "Trader", "KVK:1", {"since": "2020"},
                role="director"),
           link("REGISTERED_AT", "Trader", "KVK:1", "Address", "1011AA|1"),
           link("REGISTERED_AT", "Trader", "KVK:1", "Address", "5911AB|12")]
    items = group_operations(ops, ("upsert_person", "upsert_trader",
                                   "link_registered_at__trader_address",
                                   "link_has_role__person_trader"))
    assert [w for w, _ in items] == [PERSON, TRADER, REGISTERED_AT, HAS_ROLE]
    rows = dict(items)
    assert rows[TRADER] == [{"key": "KVK:1", "props": {"name": "A2", "status": "active"}}]
    assert [(r["role"], r["props"]) for r in rows[HAS_ROLE]] == [
        ("owner", {}), ("director", {"since": "2020"})]
    assert [r["end"] for r in rows[REGISTERED_AT]] == ["5911AB|12"]  # single-valued


def test_an_edge_is_the_keyless_link():
    by_edge, by_link = Grouped(), Grouped()
    for start, end in [("KVK:1", "+311"), ("KVK:1", "+312"), ("KVK:1", "+311")]:
        by_edge.edge(HAS_PHONE, start, end)
        by_link.link(HAS_PHONE, {"start": start, "end": end, "props": {}})
    assert by_edge.items((HAS_PHONE,)) == by_link.items((HAS_PHONE,))
    assert [r["end"] for r in by_edge.buckets[HAS_PHONE].values()] == ["+312", "+311"]
    with pytest.raises(ValueError, match="key properties"):
        Grouped().edge(HAS_ROLE, "P-1", "KVK:1")


def test_an_order_names_writes_or_their_statements():
    assert writes_in(("upsert_trader", HAS_ROLE)) == (TRADER, HAS_ROLE)
    with pytest.raises(ValueError, match="'count_by_label'"):
        writes_in(("count_by_label",))


@pytest.mark.parametrize("loader", [*LOADERS, EmcsLoader], ids=lambda c: c.__name__)
def test_every_loaders_order_is_of_distinct_model_writes(loader):
    writes = writes_in(loader.query_order)
    assert writes and len(set(writes)) == len(writes)
    assert writes == loader.query_order  # declared typed: no statement name to resolve


def test_a_write_missing_from_the_order_or_a_statement_name_is_refused():
    grouped = Grouped()
    grouped.upsert(TRADER, "KVK:1", {})
    with pytest.raises(RuntimeError, match="missing from the loader's query_order"):
        grouped.items(("upsert_person",))
    grouped.upsert("upsert_person", "P-1", {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not statement names: .*'upsert_person'"):
        grouped.items((TRADER,))
