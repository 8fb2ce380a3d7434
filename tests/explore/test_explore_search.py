"""Search on both stores: a street address finds that address (not shops named after the
city), namesakes are told apart by birth year and city, and suggestions while typing
offer trader names and street addresses, never persons."""

from __future__ import annotations

from typing import Any

import pytest
from test_explore_core import _links, _nodes

from graphfraud.explore.search import search_entities, street_address, suggestions
from graphfraud.resolve.normalize import normalize_company_name

CITIES = ["Delft", "Tilburg", "Zwolle", "Delft", "Breda"]


@pytest.fixture
def people(store: Any) -> Any:
    """23 people called Jan de Vries, each with a birth date and a home; two shops in
    Delft named after the city; the address Industrieweg 20 Delft."""
    _nodes(store, "upsert_address", [
        {"key": "2628AB|20", "street": "Industrieweg", "house_number": "20",
         "postcode": "2628AB", "city": "Delft"},
        {"key": "5000AA|20", "street": "Industrieweg", "house_number": "20",
         "postcode": "5000AA", "city": "Tilburg"},
        *({"key": f"1000AA|{i}", "street": "Dorpsstraat", "house_number": str(i),
           "postcode": "1000AA", "city": CITIES[i % 5]} for i in range(1, 24))])
    _nodes(store, "upsert_trader", [
        {"key": f"KVK:9{i}", "name": n, "name_norm": normalize_company_name(n)}
        for i, n in enumerate(["Tabakshop Delft", "Delft Rookwaren B.V."])])
    _links(store, "link_registered_at__trader_address", [("KVK:90", "2628AB|20")])
    _nodes(store, "upsert_person", [
        {"key": f"P-{i:02d}", "full_name": "Jan de Vries",
         "birth_date": f"{1950 + i}-05-0{1 + i % 9}"} for i in range(1, 24)])
    _links(store, "link_lives_at__person_address",
           [(f"P-{i:02d}", f"1000AA|{i}") for i in range(1, 24)])
    return store


def test_a_street_address_finds_the_address_not_shops_named_after_the_city(people: Any,
                                                                            ) -> None:
    hits = search_entities(people, "Industrieweg 20 Delft")
    assert [(h.label, h.key) for h in hits] == [("Address", "2628AB|20")]
    both = search_entities(people, "industrieweg 20")
    assert sorted(h.key for h in both) == ["2628AB|20", "5000AA|20"]
    assert street_address("Industrieweg 20a, 2628 AB Delft") is not None
    assert street_address("Delta Distributie") is None


def test_namesakes_are_told_apart_by_birth_year_and_city(people: Any) -> None:
    hits = search_entities(people, "Jan de Vries", limit=50)
    persons = [h for h in hits if h.label == "Person"]
    assert len(persons) == 23
    contexts = [h.context for h in persons]
    assert len(set(contexts)) == 23, "two namesakes look the same"
    assert "born 1957, Zwolle" in contexts  # P-07 lives at Dorpsstraat 7, in Zwolle
    top = search_entities(people, "Jan de Vries 1957")[0]
    assert (top.key, top.context) == ("P-07", "born 1957, Zwolle")
    in_delft = search_entities(people, "jan de vries delft", limit=50)
    first = [h for h in in_delft if h.score == in_delft[0].score]
    assert first and all(h.context.endswith("Delft") for h in first)


def test_suggestions_while_typing_offer_register_names_only(people: Any) -> None:
    assert sorted(suggestions(people, "Industrie")) == ["Industrieweg 20 Delft",
                                                        "Industrieweg 20 Tilburg"]
    assert suggestions(people, "industrieweg 2") != []
    assert "Tabakshop Delft" in suggestions(people, "tabaks")
    assert not any("Vries" in s for s in suggestions(people, "jan de"))
    assert suggestions(people, "d") == []
