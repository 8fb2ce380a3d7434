"""A finding as one picture, on both stores: its evidence refs are in its subgraph, and
the nodes that tie its subjects together (a shared director, a shared phone) make it one
network; register-wide nodes (a municipality) never serve as ties."""

from __future__ import annotations

from typing import Any

import pytest

from graphfraud.detect.records import Finding
from graphfraud.explore.findings import evidence_keys, finding_subgraph, parse_ref
from graphfraud.explore.graph import key_of, label_of
from graphfraud.resolve.normalize import normalize_company_name

EXTRA = {"source": "test", "delivery": "test", "legal_basis": "register"}
TRADERS = ["KVK:10000001", "KVK:10000002", "KVK:10000003"]


def _nodes(store: Any, name: str, rows: list[dict[str, Any]]) -> None:
    store.upsert(name, [{"key": r.pop("key"), "props": r} for r in rows], extra=EXTRA)


def _links(store: Any, name: str, pairs: list[tuple[str, str]], **keys: Any) -> None:
    store.upsert(name, [{"start": a, "end": b, "props": {}, **keys} for a, b in pairs],
                 extra=EXTRA)


@pytest.fixture
def network(store: Any) -> Any:
    """Three traders, each at its own address, tied by one director and one phone; a
    seizure at the first address; all three in one municipality (not a tie)."""
    _nodes(store, "upsert_trader", [{"key": k, "name": f"Handel {i} B.V.",
                                     "name_norm": normalize_company_name(f"Handel {i} B.V.")}
                                    for i, k in enumerate(TRADERS)])
    _nodes(store, "upsert_address", [{"key": f"1000AA|{i}", "postcode": "1000AA",
                                      "house_number": str(i), "city": "Delft"}
                                     for i in range(3)])
    _links(store, "link_registered_at__trader_address",
           [(k, f"1000AA|{i}") for i, k in enumerate(TRADERS)])
    _nodes(store, "upsert_person", [{"key": "P-7", "full_name": "Piet Spil"}])
    _links(store, "link_has_role__person_trader", [("P-7", k) for k in TRADERS[:2]],
           role="director")
    _nodes(store, "upsert_phone", [{"key": "+31150000000"}])
    _links(store, "link_has_phone__trader_phone", [(TRADERS[1], "+31150000000"),
                                                   (TRADERS[2], "+31150000000")])
    _nodes(store, "upsert_seizure", [{"key": "SZ-1", "date": "2023-03-01"}])
    _links(store, "link_seized_at__seizure_address", [("SZ-1", "1000AA|0")])
    return store


def _finding() -> Finding:
    return Finding.from_dict({"id": "F-1", "kind": "supplier_network", "score": 0.8,
            "subjects": {"traders": TRADERS, "addresses": ["1000AA|0"]},
            "reasons": [{"signal": "seizure_nearby", "part": 0.4, "weight": 0.4,
                         "evidence": "seized at the hub", "refs": ["Seizure:SZ-1"]},
                        {"signal": "shared_address", "part": 0.4, "weight": 0.4,
                         "evidence": "shared", "refs": ["1000AA|0", "Nope:1", "junk"]}]})


def test_refs_parse_as_the_detectors_write_them() -> None:
    f = _finding()
    assert parse_ref("Seizure:SZ-1") == ("Seizure", "SZ-1")
    assert parse_ref("1000AA|0", f) == ("Address", "1000AA|0")  # a bare subject key
    assert parse_ref("Nope:1", f) is None and parse_ref("junk", f) is None
    assert evidence_keys(f) == {"Seizure": ["SZ-1"], "Address": ["1000AA|0"]}


def test_subgraph_holds_the_evidence_and_is_one_network(network: Any) -> None:
    sg = finding_subgraph(network, _finding())
    have = {(label_of(n), key_of(n)) for n in sg.nodes.values()}
    assert ("Seizure", "SZ-1") in have
    assert {("Trader", k) for k in TRADERS} <= have
    assert ("Person", "P-7") in have and ("Phone", "+31150000000") in have
    # one connected component over every node
    adj: dict[str, set[str]] = {n: set() for n in sg.nodes}
    for e in sg.drawable_edges():
        adj[str(e["_start"])].add(str(e["_end"]))
        adj[str(e["_end"])].add(str(e["_start"]))
    trader_ids = [i for i, n in sg.nodes.items() if label_of(n) == "Trader"]
    seen, todo = set(), [trader_ids[0]]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(adj[n] - seen)
    assert set(trader_ids) <= seen and len(seen) == len(sg), (len(seen), len(sg))


def test_subgraph_without_ties_stays_apart_and_respects_the_cap(network: Any) -> None:
    sg = finding_subgraph(network, _finding(), bridges=0)
    labels = sorted(label_of(n) for n in sg.nodes.values())
    assert "Person" not in labels and "Phone" not in labels
    assert len(finding_subgraph(network, _finding(), cap=3)) <= 3


def test_skipped_labels_never_tie(network: Any) -> None:
    sg = finding_subgraph(network, _finding(), skip=("Person",))
    labels = {label_of(n) for n in sg.nodes.values()}
    assert "Person" not in labels and "Phone" in labels  # the phone still ties two traders
