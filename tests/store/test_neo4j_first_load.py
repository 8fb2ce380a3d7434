"""The Neo4j first-load mode: new rows go to CREATE twins, and the graph is the one the
ordinary MERGE path makes (same fingerprint, real Neo4j), re-ingest changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory
from graphfraud.store.first_load import FirstLoadPlanner
from graphfraud.store.graphhash import graph_fingerprint

PROV = {"source": "t.csv", "delivery": "t", "legal_basis": "investigation"}


def _planner() -> FirstLoadPlanner:
    p = FirstLoadPlanner()
    p.begin(["Trader"])  # Trader holds nodes already; every other label is fresh
    return p


def test_new_keys_go_to_the_create_twin_and_repeats_after_it():
    p = _planner()
    rows = [{"key": "a", "props": {"x": 1}}, {"key": "b", "props": {}},
            {"key": "a", "props": {"x": 2}}]
    assert p.plan([("upsert_tip", rows)]) == [
        ("fresh_upsert_tip", rows[:2]), ("upsert_tip", rows[2:])]
    # a later batch: both keys were sent, so both are ordinary MERGEs now
    again = [{"key": "b", "props": {}}, {"key": "c", "props": {}}]
    assert p.plan([("upsert_tip", again)]) == [
        ("fresh_upsert_tip", again[1:]), ("upsert_tip", again[:1])]


def test_a_null_key_stays_with_merge_which_refuses_it():
    p = _planner()
    rows = [{"key": None, "props": {}}, {"key": "a", "props": {}}]
    assert p.plan([("upsert_tip", rows)]) == [
        ("fresh_upsert_tip", rows[1:]), ("upsert_tip", rows[:1])]
    link = [{"start": "P1", "end": "T1", "role": None, "props": {}}]
    assert p.plan([("link_has_role__person_trader", link)]) == [
        ("link_has_role__person_trader", link)]


def test_a_label_that_held_nodes_keeps_the_ordinary_statement():
    p = _planner()
    rows = [{"key": "T1", "props": {}}]
    assert p.plan([("upsert_trader", rows)]) == [("upsert_trader", rows)]
    link = [{"start": "T1", "end": "A1", "props": {}}]
    assert p.plan([("link_registered_at__trader_address", link)]) == [
        ("link_registered_at__trader_address", link)]


def test_a_single_valued_link_is_new_only_for_its_start_nodes_first_link():
    p = _planner()
    first = [{"start": "M1", "end": "T1", "props": {}}, {"start": "M1", "end": "T2", "props": {}}]
    # the second row changes M1's consignor: it needs the replacement check
    assert p.plan([("link_consigned_by__movement_trader", first)]) == [
        ("fresh_link_consigned_by__movement_trader", first[:1]),
        ("link_consigned_by__movement_trader", first[1:])]
    # DELIVERED_TO is single-valued across its end labels: one start, one link
    p.plan([("link_delivered_to__movement_premise", [{"start": "M9", "end": "P", "props": {}}])])
    to_address = [{"start": "M9", "end": "A", "props": {}}]
    assert p.plan([("link_delivered_to__movement_address", to_address)]) == [
        ("link_delivered_to__movement_address", to_address)]


def test_a_keyed_link_is_new_per_key():
    p = _planner()
    rows = [{"start": "P1", "end": "T1", "role": "director", "props": {}},
            {"start": "P1", "end": "T1", "role": "owner", "props": {}},
            {"start": "P1", "end": "T1", "role": "owner", "props": {}}]
    p.begin([])
    assert p.plan([("link_has_role__person_trader", rows)]) == [
        ("fresh_link_has_role__person_trader", rows[:2]),
        ("link_has_role__person_trader", rows[2:])]


def test_an_unknown_statement_stops_the_plan_and_forget_asks_again():
    p = _planner()
    assert p.plan([("er_clear_automatic_links", [{"x": 1}])]) is None
    p.forget()
    assert p.needs_counts and p.plan([("upsert_tip", [{"key": "a", "props": {}}])]) is None


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("firstload") / "world"
    generate_world("tiny", 7, out)
    return out


@pytest.fixture
def neo4j(neo4j_store):
    return neo4j_store


@pytest.mark.neo4j
def test_first_load_makes_the_graph_the_merge_path_makes(neo4j, neo4j_settings, tiny_world,
                                                         tmp_path, monkeypatch):
    from graphfraud.store import open_store

    data = Path(shutil.copytree(tiny_world, tmp_path / "tiny",
                                ignore=shutil.ignore_patterns(".graphfraud")))
    ingest_directory(neo4j, data, "tiny")
    assert neo4j.first_load_rows > 10_000  # nearly every row went to a CREATE twin
    fresh = graph_fingerprint(neo4j)
    ingest_directory(neo4j, data, "tiny")  # again: now every row is an ordinary MERGE
    assert graph_fingerprint(neo4j) == fresh
    neo4j.clear()
    shutil.rmtree(data / ".graphfraud")
    monkeypatch.setenv("GRAPHFRAUD_NEO4J_FIRST_LOAD", "0")
    with open_store(neo4j_settings, "neo4j") as ordinary:
        ingest_directory(ordinary, data, "tiny")
        assert ordinary.first_load_rows == 0
        assert graph_fingerprint(ordinary) == fresh


@pytest.mark.neo4j
def test_a_key_another_writer_made_first_falls_back_to_merge(neo4j, neo4j_settings):
    from graphfraud.store import open_store

    neo4j.upsert("upsert_trader", [{"key": "T-held", "props": {}}], extra=PROV)  # counts read
    with open_store(neo4j_settings, "neo4j") as other:  # Tip was empty when `neo4j` began
        other.upsert("upsert_tip", [{"key": "tip-1", "props": {"text": "first"}}], extra=PROV)
    n = neo4j.upsert("upsert_tip", [{"key": "tip-1", "props": {"text": "second"}},
                                    {"key": "tip-2", "props": {}}], extra=PROV)
    assert n == 2
    rows = neo4j.read_cypher("MATCH (t:Tip) RETURN t.tip_id AS k, t.text AS text "
                             "ORDER BY k").rows
    assert rows == [{"k": "tip-1", "text": "second"}, {"k": "tip-2", "text": None}]
    assert not neo4j._first.enabled  # it stopped planning after the violation
