"""The node menu's "expand by relationship type", on both stores: only neighbours joined
by that type are added, within the cap; the menu offers the types the model allows."""

from __future__ import annotations

from typing import Any

from graphfraud.explore import expand, find_node, neighbourhood
from graphfraud.explore.graph import label_of
from graphfraud.explore.neighbourhood import rel_types_of

EXTRA = {"source": "test", "delivery": "test", "legal_basis": "register"}


def _world(store: Any) -> None:
    store.upsert("upsert_person", [{"key": "P-1", "props": {"full_name": "Els Spil"}}],
                 extra=EXTRA)
    store.upsert("upsert_trader", [{"key": f"KVK:2000000{i}", "props": {"name": f"T{i}"}}
                                   for i in range(4)], extra=EXTRA)
    store.upsert("link_has_role__person_trader",
                 [{"start": "P-1", "end": f"KVK:2000000{i}", "props": {}, "role": "director"}
                  for i in range(4)], extra=EXTRA)
    store.upsert("upsert_phone", [{"key": "+31100000000", "props": {}}], extra=EXTRA)
    store.upsert("link_has_phone__person_phone",
                 [{"start": "P-1", "end": "+31100000000", "props": {}}], extra=EXTRA)


def test_menu_offers_the_models_types() -> None:
    person = rel_types_of("Person")
    assert {"HAS_ROLE", "LIVES_AT", "HAS_PHONE"} <= set(person)
    assert "REGISTERED_AT" not in person


def test_expand_by_type_adds_only_that_type(store: Any) -> None:
    _world(store)
    phone = find_node(store, "Phone", "+31100000000")
    view = neighbourhood(store, "Phone", "+31100000000")
    assert len(view) == 2  # the phone and its person
    person_id = next(i for i, n in view.nodes.items() if label_of(n) == "Person")
    expand(store, view, person_id, cap=100, rel_type="HAS_ROLE")
    assert sorted(label_of(n) for n in view.nodes.values()) == ["Person", "Phone"] + \
        ["Trader"] * 4
    assert {e["_type"] for e in view.drawable_edges()} == {"HAS_ROLE", "HAS_PHONE"}
    small = neighbourhood(store, "Phone", "+31100000000")
    expand(store, small, person_id, cap=4, rel_type="HAS_ROLE")
    assert len(small) <= 4 and str(phone["_id"]) in small.nodes
    assert any("HAS_ROLE" in n for n in small.notes)


def test_menu_offers_the_nodes_own_types_with_counts(store: Any) -> None:
    """The person has 4 roles and 1 phone: the menu offers those two, counted, and not
    LIVES_AT, EMAIL or the other types the model allows for a person but this one lacks."""
    from graphfraud.explore.neighbourhood import rel_type_counts

    _world(store)
    person = find_node(store, "Person", "P-1")
    phone = find_node(store, "Phone", "+31100000000")
    got = rel_type_counts(store, [str(person["_id"]), str(phone["_id"])])
    assert got == {str(person["_id"]): [("HAS_PHONE", 1), ("HAS_ROLE", 4)],
                   str(phone["_id"]): [("HAS_PHONE", 1)]}
    assert set(rel_types_of("Person")) > {"HAS_PHONE", "HAS_ROLE"}  # the model allows more
    assert rel_type_counts(store, []) == {}
