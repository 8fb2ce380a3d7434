"""Typed writes are the schema's node and relationship types: one per label and per
declared (type, start, end), compared by value, with the relationship's key and
single-valuedness read from the model."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys

import pytest

from graphfraud.model.operations import (
    LinkWrite,
    NodeWrite,
    all_writes,
    link_write,
    node_write,
)
from graphfraud.model.schema import NODE_TYPES, REL_TYPES


def test_every_label_and_declared_link_has_one_write():
    writes = all_writes()
    assert len(writes) == len(set(writes))
    assert {w.label for w in writes if isinstance(w, NodeWrite)} == {
        nt.label for nt in NODE_TYPES}
    assert {(w.rel, w.start, w.end) for w in writes if isinstance(w, LinkWrite)} == {
        (rt.type, s, e) for rt in REL_TYPES for s in rt.starts for e in rt.ends}


@pytest.mark.parametrize("rt", REL_TYPES, ids=lambda rt: rt.type)
def test_a_link_reads_its_key_and_single_valuedness_from_the_model(rt):
    for s in rt.starts:
        for e in rt.ends:
            w = link_write(rt.type, s, e)
            assert (w.keys, w.single) == (tuple(rt.key), rt.single)


def test_a_node_write_knows_its_key_property():
    assert node_write("Trader").key == "trader_id"
    assert node_write("Movement").key == "arc"


def test_writes_compare_and_hash_by_value_and_are_shared():
    assert NodeWrite("Trader") == node_write("Trader")
    assert hash(NodeWrite("Trader")) == hash(node_write("Trader"))
    assert node_write("Trader") is node_write("Trader")
    assert LinkWrite("HAS_ROLE", "Person", "Trader") == link_write("HAS_ROLE", "Person",
                                                                    "Trader")
    assert {link_write("DELIVERED_TO", "Movement", "Address"): 1}.get(
        LinkWrite("DELIVERED_TO", "Movement", "Address")) == 1
    assert link_write("DELIVERED_TO", "Movement", "Address") != link_write(
        "DELIVERED_TO", "Movement", "Premise")
    assert node_write("Trader") != link_write("HAS_ROLE", "Person", "Trader")
    assert copy.deepcopy(node_write("Phone")) is node_write("Phone")


def test_a_pickled_write_is_rebuilt_with_this_process_hash():
    w = link_write("HAS_ROLE", "Person", "Trader")
    assert pickle.loads(pickle.dumps(w)) is w
    script = ("import pickle, sys; w = pickle.loads(sys.stdin.buffer.read()); "
              "print(hash(w) == hash(type(w)(w.rel, w.start, w.end)), w.keys)")
    out = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(w),
                         capture_output=True, check=True, env={**os.environ,
                                                               "PYTHONHASHSEED": "random"})
    assert out.stdout.decode().split() == ["True", "('role',)"]


def test_a_write_the_model_does_not_declare_is_refused():
    with pytest.raises(KeyError, match="unknown node label 'Shop'"):
        node_write("Shop")
    with pytest.raises(KeyError, match="unknown relationship type 'SELLS'"):
        link_write("SELLS", "Trader", "Trader")
    with pytest.raises(ValueError, match=r"no \(:Trader\)-\[:LIVES_AT\]->\(:Address\)"):
        link_write("LIVES_AT", "Trader", "Address")
    with pytest.raises(ValueError, match="DELIVERED_TO goes from Movement to Address"):
        link_write("DELIVERED_TO", "Movement", "Vehicle")


def test_writes_are_immutable():
    w = node_write("Trader")
    with pytest.raises(AttributeError):
        w.label = "Person"  # type: ignore[misc]
