"""The analysts' console through the Session on both stores: a heavy query runs in a
worker and Cancel stops it (Neo4j ends the transaction at once; the embedded engine at
its time-out) with an audit record; the user's own query history from the audit log."""

from __future__ import annotations

import time
from typing import Any

import pytest

from graphfraud.security import User, read_audit
from graphfraud.security.session import Session

HEAVY = ("MATCH (a:Trader), (b:Trader), (c:Address), (d:Address) WHERE a.name < b.name "
         "AND b.name < c.city AND c.city < d.city RETURN count(*) AS n")


def test_cancel_stops_a_running_query(world: Any) -> None:
    store, settings, _data = world
    sess = Session(store, settings, User("ana", "analyst"), timeout_s=20.0)
    running = sess.start_query("free", HEAVY)
    time.sleep(1.0)
    assert not running.future.done(), "the heavy query finished before it could be cancelled"
    how = sess.cancel_query(running)
    if store.kind == "neo4j":
        assert how == "ended at the engine"
        with pytest.raises(Exception):  # noqa: B017 - terminated by the engine
            running.future.result(timeout=10)
    else:
        assert "time-out" in how
        with pytest.raises(Exception):  # noqa: B017 - the engine's own time-out
            running.future.result(timeout=40)
    assert running.seconds() < 30
    rec = [r for r in read_audit(settings.home / "audit.jsonl") if r["action"] == "query_cancel"]
    assert len(rec) == 1 and rec[0]["detail"]["outcome"] == "cancelled"
    assert rec[0]["detail"]["query"] == HEAVY and rec[0]["user"] == "ana"


def test_a_quick_query_comes_back_through_the_worker(world: Any) -> None:
    store, settings, _data = world
    sess = Session(store, settings, User("ana", "analyst"))
    res = sess.start_query("free", "MATCH (t:Trader) RETURN count(t) AS n").future.result(30)
    assert res.rows[0]["n"] > 0


def test_history_is_the_users_own_queries_newest_first(world: Any) -> None:
    store, settings, _data = world
    ana = Session(store, settings, User("ana", "analyst"))
    bob = Session(store, settings, User("bob", "analyst"))
    ana.free_cypher("MATCH (t:Trader) RETURN count(t) AS n")
    bob.free_cypher("MATCH (p:Premise) RETURN count(p) AS n")
    with pytest.raises(Exception):  # noqa: B017 - refused by the guard, still history
        ana.free_cypher("MATCH (t:Trader) DETACH DELETE t")
    name = next(iter(ana.library()))
    q = ana.library()[name]
    params = {p.name: None for p in q.params}
    try:
        ana.library_query(name, params)
    except Exception:  # noqa: BLE001 - a failed run is history too
        pass
    hist = ana.query_history()
    assert [h["kind"] for h in hist] == ["library", "free", "free"]
    assert hist[0]["query"] == name
    assert hist[1]["query"] == "MATCH (t:Trader) DETACH DELETE t"
    assert hist[1]["outcome"] == "refused" and hist[1]["why"]
    assert hist[2]["outcome"] == "ok" and hist[2]["rows"] == 1
    assert all("Premise" not in str(h["query"]) for h in hist)
    ana.aggregate("count_by_label")  # maps-page aggregates are not the user's queries
    assert len(ana.query_history()) == 3
