"""The explorer's core on both stores: tolerant search, the supernode guard, shortest and
time-respecting paths on hand-built graphs whose answers are known, the timeline, risk."""

from __future__ import annotations

from typing import Any

import pytest

from graphfraud.explore import (
    EntityRef,
    expand,
    find_node,
    neighbourhood,
    risk_of,
    search_entities,
    shortest_path,
    time_respecting_path,
    timeline,
)
from graphfraud.resolve.normalize import normalize_company_name

EXTRA = {"source": "test", "delivery": "test", "legal_basis": "register"}


def _nodes(store: Any, name: str, rows: list[dict[str, Any]]) -> None:
    store.upsert(name, [{"key": r.pop("key"), "props": r} for r in rows], extra=EXTRA)


def _links(store: Any, name: str, pairs: list[tuple[str, str]], **keys: Any) -> None:
    store.upsert(name, [{"start": a, "end": b, "props": {}, **keys} for a, b in pairs],
                 extra=EXTRA)


def _trader(key: str, name: str, **props: Any) -> dict[str, Any]:
    return {"key": key, "name": name, "name_norm": normalize_company_name(name), **props}


# --- search ----------------------------------------------------------------------------

@pytest.fixture
def search_world(store: Any) -> Any:
    _nodes(store, "upsert_trader", [
        _trader("KVK:12345678", "Gebroeders Jansen Tabak B.V.", kvk_number="12345678",
                excise_number="NL00012345678"),
        _trader("KVK:87654321", "Delta Distributie B.V.", kvk_number="87654321"),
        _trader("KVK:11112222", "Rookwaren Oost V.O.F.", kvk_number="11112222"),
    ])
    _nodes(store, "upsert_person", [{"key": "P-1", "full_name": "Kees Hoekstra"}])
    _nodes(store, "upsert_address", [{"key": "5025PV|57", "postcode": "5025PV",
                                      "house_number": "57", "city": "Tilburg"}])
    _nodes(store, "upsert_vehicle", [{"key": "56LZD5"}])
    _nodes(store, "upsert_phone", [{"key": "+31201730598"}])
    return store


@pytest.mark.parametrize("text, label, key", [
    ("delta distributie", "Trader", "KVK:87654321"),
    ("DELTA   DISTRIBUTIE", "Trader", "KVK:87654321"),
    ("Delta Distrbutie", "Trader", "KVK:87654321"),  # a letter missing
    ("gebr jansen tabak", "Trader", "KVK:12345678"),
    ("12345678", "Trader", "KVK:12345678"),
    ("nl00012345678", "Trader", "KVK:12345678"),
    ("kees hoekstar", "Person", "P-1"),
    ("5025 pv 57", "Address", "5025PV|57"),
    ("5025pv", "Address", "5025PV|57"),
    ("56-lzd-5", "Vehicle", "56LZD5"),
    ("020 - 173 05 98", "Phone", "+31201730598"),
])
def test_search_is_tolerant(search_world: Any, text: str, label: str, key: str) -> None:
    hits = search_entities(search_world, text)
    assert hits, f"nothing found for {text!r}"
    assert (hits[0].label, hits[0].key) == (label, key)


def test_search_finds_nothing_for_noise(search_world: Any) -> None:
    assert search_entities(search_world, "qqqzzz wwwvvv") == []
    assert search_entities(search_world, "   ") == []


# --- supernode guard ---------------------------------------------------------------------

@pytest.fixture
def star(store: Any) -> Any:
    """A trader with 4,998 phones, a registered address and a director: 5,000 neighbours."""
    _nodes(store, "upsert_trader", [_trader("KVK:99999999", "Hub Groothandel B.V.")])
    phones = [f"+3161{i:07d}" for i in range(4998)]
    _nodes(store, "upsert_phone", [{"key": p} for p in phones])
    _links(store, "link_has_phone__trader_phone", [("KVK:99999999", p) for p in phones])
    _nodes(store, "upsert_address", [{"key": "1234AB|1", "postcode": "1234AB"}])
    _links(store, "link_registered_at__trader_address", [("KVK:99999999", "1234AB|1")])
    _nodes(store, "upsert_person", [{"key": "P-9", "full_name": "Jan Hub"}])
    _links(store, "link_has_role__person_trader", [("P-9", "KVK:99999999")],
           role="director")
    return store


def test_supernode_is_aggregated_within_the_cap(star: Any) -> None:
    sg = neighbourhood(star, "Trader", "KVK:99999999", cap=300)
    assert len(sg) <= 300
    assert sum(sg.aggregated.values()) == 5000
    assert sg.aggregated["Phone"] == 4998
    assert sg.truncated
    labels = sorted(n["_labels"][0] for n in sg.nodes.values())
    assert labels == ["Address", "Person", "Trader"]  # small types drawn, phones counted


def test_supernode_sample_is_capped_and_stable(star: Any) -> None:
    a = neighbourhood(star, "Trader", "KVK:99999999", cap=300, mode="sample")
    b = neighbourhood(star, "Trader", "KVK:99999999", cap=300, mode="sample")
    assert len(a) == 300
    assert set(a.nodes) == set(b.nodes)
    assert {n["_labels"][0] for n in a.nodes.values()} == {"Trader", "Phone", "Address",
                                                            "Person"}


def test_supernode_filter_by_label(star: Any) -> None:
    sg = neighbourhood(star, "Trader", "KVK:99999999", cap=50, only_label="Phone")
    assert len(sg) == 50
    assert {n["_labels"][0] for n in sg.nodes.values()} == {"Trader", "Phone"}


def test_small_neighbourhood_is_drawn_whole_and_expands_within_cap(star: Any) -> None:
    sg = neighbourhood(star, "Person", "P-9", cap=300)
    assert not sg.aggregated and len(sg) == 2 and len(sg.drawable_edges()) == 1
    trader = find_node(star, "Trader", "KVK:99999999")
    expand(star, sg, str(trader["_id"]), cap=100)
    assert len(sg) <= 100 and sg.aggregated["Phone"] == 4998


# --- paths ---------------------------------------------------------------------------------

@pytest.fixture
def timed(store: Any) -> Any:
    """Movements, vehicles, a premise, addresses and seizures with known dates.

    M1 2023-01-10 -> premise P (at address A) ; seizure S 2023-03-01 at A
    M2 2023-05-01 -> P                        (after S: no time-respecting path to S)
    A0 <- Mlate 2023-07-01 -> V1 <- S2 2023-06-01   (short path, breaks time)
    A0 <- Mearly 2023-01-01 -> V2 <- Mmid 2023-03-01 -> V1   (longer, respects time)
    """
    _nodes(store, "upsert_address", [{"key": k} for k in ("1000AA|1", "1000AA|2")])
    _nodes(store, "upsert_premise", [{"key": "PR-1", "kind": "industrial_unit"}])
    _links(store, "link_located_at__premise_address", [("PR-1", "1000AA|1")])
    _nodes(store, "upsert_movement", [
        {"key": "M1", "dispatched_at": "2023-01-10T08:00:00Z"},
        {"key": "M2", "dispatched_at": "2023-05-01T08:00:00Z"},
        {"key": "MLATE", "dispatched_at": "2023-07-01T08:00:00Z"},
        {"key": "MEARLY", "dispatched_at": "2023-01-01T08:00:00Z"},
        {"key": "MMID", "dispatched_at": "2023-03-01T08:00:00Z"},
    ])
    _links(store, "link_delivered_to__movement_premise", [("M1", "PR-1"), ("M2", "PR-1")])
    _nodes(store, "upsert_seizure", [{"key": "S1", "seized_on": "2023-03-01"},
                                     {"key": "S2", "seized_on": "2023-06-01"}])
    _links(store, "link_seized_at__seizure_address", [("S1", "1000AA|1")])
    _nodes(store, "upsert_vehicle", [{"key": "V1"}, {"key": "V2"}])
    _links(store, "link_delivered_to__movement_address",
           [("MLATE", "1000AA|2"), ("MEARLY", "1000AA|2")])
    _links(store, "link_carried_by__movement_vehicle",
           [("MLATE", "V1"), ("MEARLY", "V2"), ("MMID", "V2"), ("MMID", "V1")])
    _links(store, "link_involves__seizure_vehicle", [("S2", "V1")])
    return store


def _keys(store: Any, res: Any) -> list[str]:
    from graphfraud.explore import key_of

    return [key_of(res.subgraph.nodes[i]) or "" for i in res.node_ids]


def test_shortest_path_known_answer(timed: Any) -> None:
    res = shortest_path(timed, ("Movement", "M1"), ("Seizure", "S1"))
    assert res is not None and res.hops == 3
    assert _keys(timed, res) == ["M1", "PR-1", "1000AA|1", "S1"]
    res = shortest_path(timed, EntityRef("Address", "1000AA|2"), EntityRef("Seizure", "S2"))
    assert res is not None and _keys(timed, res) == ["1000AA|2", "MLATE", "V1", "S2"]
    assert shortest_path(timed, ("Movement", "M1"), ("Seizure", "S2"), max_hops=2) is None


def test_time_respecting_path_follows_the_dates(timed: Any) -> None:
    res = time_respecting_path(timed, ("Movement", "M1"), ("Seizure", "S1"))
    assert res is not None
    assert _keys(timed, res) == ["M1", "PR-1", "1000AA|1", "S1"]
    assert [d for d in res.dates if d] == sorted(d for d in res.dates if d)


def test_a_path_that_breaks_time_is_not_returned(timed: Any) -> None:
    assert shortest_path(timed, ("Movement", "M2"), ("Seizure", "S1")) is not None
    assert time_respecting_path(timed, ("Movement", "M2"), ("Seizure", "S1")) is None


def test_time_respecting_path_takes_the_longer_way_in_order(timed: Any) -> None:
    res = time_respecting_path(timed, ("Address", "1000AA|2"), ("Seizure", "S2"))
    assert res is not None
    assert _keys(timed, res) == ["1000AA|2", "MEARLY", "V2", "MMID", "V1", "S2"]
    assert res.dates[1:] == ["2023-01-01", "2023-01-01", "2023-03-01", "2023-03-01",
                             "2023-06-01"]


def test_timeline_is_sorted_and_reaches_two_steps(timed: Any) -> None:
    events = timeline(timed, "Premise", "PR-1")
    keys = [(e.date, e.key) for e in events]
    assert keys == sorted(keys)
    assert ("2023-03-01", "S1") in keys  # via the premise's address
    assert ("2023-01-10", "M1") in keys and ("2023-05-01", "M2") in keys


def test_risk_from_finding_nodes(store: Any) -> None:
    _nodes(store, "upsert_trader", [_trader("KVK:1", "Risico B.V."),
                                    _trader("KVK:2", "Schoon B.V.")])
    store.upsert("upsert_finding", [{"key": "F-1", "props": {"kind": "phoenix", "score": 0.8,
                                                            "rank": 1, "run_id": "r"}}],
                 extra=EXTRA)
    _links(store, "link_concerns__finding_trader", [("F-1", "KVK:1")])
    a, b = find_node(store, "Trader", "KVK:1"), find_node(store, "Trader", "KVK:2")
    risk = risk_of(store, [str(a["_id"]), str(b["_id"])])
    assert risk == {str(a["_id"]): pytest.approx(0.8)}
