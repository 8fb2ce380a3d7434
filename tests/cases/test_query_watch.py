"""Watching a saved query, on both stores: a delivery that adds a row to the watched
query's result raises exactly one alert for its watcher, a delivery that adds none
raises none, and all of it is audited through the Session. The deliveries are the tiny
world with two later movements held back, then one delivery per movement (the trader
register again, the first time with one new trader at a watched address)."""

from __future__ import annotations

import csv
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from graphfraud.cases.query_watch import QueryWatch, entity_refs, query_row_alerts, row_keys
from graphfraud.security import read_audit
from graphfraud.security.roles import PermissionDenied
from graphfraud.security.session import Session
from graphfraud.security.users import User, add_user

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from _auth import PASSWORD, make_users, user_name  # noqa: E402
from _deliveries import held_back_deliveries  # noqa: E402

MOVEMENTS_TO = ("MATCH (m:Movement)-[:CONSIGNED_TO]->(t:Trader) WHERE t.trader_id = $trader "
                "RETURN t, m ORDER BY m.arc")


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _held_movements(world: Path) -> tuple[str, str, str]:
    """Two later movements to two different Dutch traders, named by no other file:
    (arc to the watched trader, arc to another, the watched trader's id)."""
    traders = {t["excise_number"]: t for t in _csv(world / "traders.csv") if t["excise_number"]}
    named = "".join((world / f).read_text(encoding="utf-8")
                    for f in ("seizures.csv", "tips.csv", "retail_checks.csv"))
    late = [m for m in _csv(world / "movements.csv")
            if m["dispatched_at"] >= "2023-06" and m["consignee_excise_number"] in traders
            and m["arc"] not in named]
    a = late[-1]
    b = next(m for m in reversed(late)
             if m["consignee_excise_number"] != a["consignee_excise_number"])
    return a["arc"], b["arc"], traders[a["consignee_excise_number"]]["trader_id"]


def _alerts(s: Session) -> set[tuple[str, str, str]]:
    return {(a["rule"], a["subject"], a["detail"]) for a in s.alerts()}


def test_a_delivery_adding_a_row_raises_one_alert_and_one_without_none(store, tmp_path,
                                                                     settings):
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.resolve.normalize import address_key
    from graphfraud.synth import generate_world

    world = tmp_path / "w"
    generate_world("tiny", 3, world)
    arc_in, arc_out, watched = _held_movements(world)
    base = next(t for t in _csv(world / "traders.csv")
                if t["country"] == "NL" and t["kvk_number"] and t["trader_id"] != watched)
    newcomer = {**base, "trader_id": "KVK:99999917", "kvk_number": "99999917",
                "excise_number": "", "vat_number": "", "name": "Nieuwkomer Tabak B.V.",
                "registered_on": "2024-02-01", "dissolved_on": "", "status": "active"}
    d1, d2, d3 = held_back_deliveries(world, tmp_path / "deliveries", [arc_in, arc_out],
                                      newcomer)
    home = replace(settings, home=tmp_path / "home")
    make_users(home.home)
    at = address_key(base["postcode"], base["house_number"])

    ingest_directory(store, d1, "d1", resolve=False, restart=True)
    ana = Session(store, home, User(user_name("analyst"), "analyst"))
    inv = Session(store, home, User(user_name("investigator"), "investigator"),
                  purpose="case OM-2026-19")
    mine = ana.watch_query(cypher=MOVEMENTS_TO, params={"trader": watched},
                           label="movements to the watched trader")
    lib = inv.watch_query("traders_at_address", params={"address_key": at})
    assert mine.last and all(arc_in not in k and arc_out not in k for k in mine.last)
    assert lib.last and not any("KVK:99999917" in k for k in lib.last)
    assert {w["watch_id"] for w in ana.watches()} == {mine.watch_id}
    assert inv.raise_alerts(None, "d1") == {"new": 0, "query_watches": 2, "problems": []}

    report = ingest_directory(store, d2, "d2", resolve=False)
    assert not sum(f.quarantined for f in report.files), report  # the newcomer is taken
    assert inv.refresh_alerts(None, "d2") == 2  # one row for each watcher, no more
    got_ana, got_inv = _alerts(ana), _alerts(inv)
    assert len(got_ana) == 1 and len(got_inv) == 1
    (rule, subject, detail), = got_ana
    assert (rule, subject) == ("query_row", "Query:movements to the watched trader")
    assert f"Movement:{arc_in}" in detail and f"Trader:{watched}" in detail
    assert ("Movement", arc_in) in entity_refs(detail)  # the alert links to the row's nodes
    (rule, subject, detail), = got_inv
    assert (rule, subject) == ("query_row", "Query:traders_at_address")
    assert "trader_id=KVK:99999917" in detail and "Nieuwkomer Tabak" in detail
    assert ana.alerts()[0]["delivery"] == "d2"

    ingest_directory(store, d3, "d3", resolve=False)  # a movement to another trader
    assert inv.refresh_alerts(None, "d3") == 0
    assert _alerts(ana) == got_ana and _alerts(inv) == got_inv
    assert inv.refresh_alerts(None, "d3") == 0  # and asking again changes nothing

    records = read_audit(home.home / "audit.jsonl")
    watches = [r for r in records if r["action"] == "watch" and "query" in r["detail"]]
    assert {(r["user"], r["detail"]["outcome"]) for r in watches} == {
        (user_name("analyst"), "ok"), (user_name("investigator"), "ok")}
    runs = [r for r in records if r["action"] == "query" and r["user"] == user_name("analyst")
            and r["detail"].get("cypher") == MOVEMENTS_TO]
    # the watch, then d1, d2, d3 and d3 again: each run is the watcher's own record, with
    # no purpose (the analyst stated none); the investigator's runs carry theirs
    assert len(runs) == 5 and all(r["purpose"] is None for r in runs)
    lib_runs = [r for r in records if r["action"] == "query"
                and r["user"] == user_name("investigator")
                and r["detail"].get("name") == "traders_at_address"]
    assert [r["purpose"] for r in lib_runs] == ["case OM-2026-19"] + [
        f"case OM-2026-19 (watch {lib.watch_id}, raised by {user_name('investigator')})"] * 4
    refreshes = [r for r in records if r["action"] == "alerts" and r["detail"].get("refresh")]
    assert [r["result_size"] for r in refreshes] == [0, 2, 0, 0]
    assert all(set(r["detail"]["query_watches"]) == {mine.watch_id, lib.watch_id}
               for r in refreshes)

    # the watcher's role decides, today: a demoted analyst's watch is not run, and said so
    add_user(home.home / "users.json", user_name("analyst"), "manager", PASSWORD,
             replace=True)
    summary = inv.raise_alerts(None, "d3")
    assert summary["new"] == 0 and summary["query_watches"] == 1
    assert any(mine.watch_id in p and "PermissionDenied" in p for p in summary["problems"])


def test_read_and_unread_alerts_per_user(store, tmp_path, settings):
    from graphfraud.cases.alerts import Alert

    home = replace(settings, home=tmp_path / "home")
    store.clear()
    inv = Session(store, home, User("inv", "investigator"))
    ana = Session(store, home, User("ana", "analyst"))
    made = [Alert("inv", "touched", f"Trader:KVK:{i}", "CONSIGNED_TO Movement:X", "", "d")
            for i in range(3)] + [Alert("ana", "touched", "Trader:KVK:9", "x", "", "d")]
    store.upsert("upsert_alert", [{"key": a.alert_id, "props": {
        **{k: v for k, v in a.to_dict().items() if k != "alert_id"},
        "created_at": "2026-01-01T00:00:00Z", "read": False}} for a in made],
        extra={"source": "test", "delivery": "d", "legal_basis": "derived"})
    assert inv.unread_alerts() == 3 and ana.unread_alerts() == 1
    assert inv.mark_alerts_read([made[0].alert_id, made[3].alert_id]) == 1  # not ana's
    assert inv.unread_alerts() == 2 and ana.unread_alerts() == 1
    assert inv.alerts_title() == "Alerts (2)"  # the navigation's title
    assert {a["alert_id"]: a["read"] for a in inv.alerts()}[made[0].alert_id] is True
    assert inv.mark_alerts_read([made[0].alert_id]) == 0  # already read
    assert inv.mark_alerts_read() == 2 and inv.unread_alerts() == 0
    assert ana.unread_alerts() == 1
    marks = [r for r in read_audit(home.home / "audit.jsonl")
             if r["action"] == "alerts" and "mark_read" in r["detail"]]
    assert [(r["user"], r["result_size"]) for r in marks] == [("inv", 1), ("inv", 0),
                                                               ("inv", 2)]
    man = Session(store, home, User("man", "manager"))
    with pytest.raises(PermissionDenied):
        man.mark_alerts_read()
    with pytest.raises(PermissionDenied):
        man.unread_alerts()


def test_unwatch_ends_only_ones_own_watch(store, tmp_path, settings):
    from graphfraud.cases.model import CaseError

    home = replace(settings, home=tmp_path / "home")
    store.clear()
    inv = Session(store, home, User("inv", "investigator"), purpose="case OM-1")
    ana = Session(store, home, User("ana", "analyst"))
    w = inv.watch_query(cypher="MATCH (t:Trader) RETURN count(t) AS traders", label="count")
    assert w.last == ["traders=0"]
    with pytest.raises(CaseError):
        ana.unwatch(w.watch_id)
    assert inv.unwatch(w.watch_id) is True
    assert inv.watches() == []


def test_a_watch_passes_the_guard_and_the_role_table(store, tmp_path, settings):
    from graphfraud.security.guard import QueryRefused

    home = replace(settings, home=tmp_path / "home")
    ana = Session(store, home, User("ana", "analyst"))
    with pytest.raises(QueryRefused):
        ana.watch_query(cypher="MATCH (t:Trader) SET t.x = 1 RETURN t", label="write")
    with pytest.raises((QueryRefused, PermissionError)):
        ana.watch_query(cypher="MATCH (t:Tip) RETURN t", label="tips")  # Wpg: not analysts'
    with pytest.raises(PermissionError):
        Session(store, home, User("inv", "investigator")).watch_query(
            cypher="MATCH (t:Trader) RETURN t LIMIT 1", label="no purpose")
    refused = [r for r in read_audit(home.home / "audit.jsonl")
               if r["action"] == "watch" and "query" in r["detail"]]
    assert [r["detail"]["outcome"] for r in refused] == ["refused"] * 3
    assert ana.watches() == []


def test_rows_are_keyed_by_their_nodes_not_their_provenance():
    node = {"_id": 5, "_labels": ["Trader"], "trader_id": "KVK:1", "deliveries": ["d1"]}
    later = {**node, "deliveries": ["d1", "d2"], "_id": 5}
    link = {"_id": 9, "_type": "CONSIGNED_TO", "deliveries": ["d1"]}
    assert row_keys([{"t": node, "r": link}]) == row_keys([{"t": later, "r": {**link,
                                                            "deliveries": ["d2"]}}])
    assert row_keys([{"t": node, "n": 1}, {"t": later, "n": 1}]) == [
        "n=1; t=Trader:KVK:1"]
    w = QueryWatch("u", "cypher", "q", "MATCH (t) RETURN t", last=["n=1; t=Trader:KVK:1"])
    got = query_row_alerts(w, ["n=1; t=Trader:KVK:1", "n=2; t=Trader:KVK:2"], "r", "d2")
    assert [(a.username, a.rule, a.subject, a.detail) for a in got] == [
        ("u", "query_row", "Query:q", "n=2; t=Trader:KVK:2")]
    assert entity_refs("n=2; t=Trader:KVK:2") == [("Trader", "KVK:2")]
    assert entity_refs("CONSIGNED_TO Movement:21LU9") == [("Movement", "21LU9")]
    assert w.watch_id == QueryWatch("u", "cypher", "q", "MATCH (t) RETURN t").watch_id
    assert w.watch_id != QueryWatch("v", "cypher", "q", "MATCH (t) RETURN t").watch_id
    assert QueryWatch.from_json("u", w.to_json()) == w


def test_after_a_delivery_every_watcher_raises_their_own(store, tmp_path, settings, capsys):
    import graphfraud.cli  # noqa: F401 - cli_case is loaded through the CLI's main group
    from graphfraud.cases.after import raise_after
    from graphfraud.cli.case import alerts_after

    home = replace(settings, home=tmp_path / "home")
    make_users(home.home)
    store.clear()
    inv = Session(store, home, User(user_name("investigator"), "investigator"),
                  purpose="case OM-AFTER")
    ana = Session(store, home, User(user_name("analyst"), "analyst"))
    w = inv.watch_query(cypher="MATCH (c:Case) RETURN c.reference AS ref", label="cases")
    ana.watch("Trader", "KVK:00000001")
    Session(store, home, User("gone", "analyst")).watch("Trader", "KVK:00000002")
    inv.create_case("OM-AFTER-1", "a new row for the watched query")
    got = raise_after(store, home, None, "dX")  # as after `graphfraud ingest`
    assert got["new"] == 1 and got["users"] == 2
    assert got["problems"] == ["user gone is not in the users file: no alerts raised"]
    assert [(a["rule"], a["detail"]) for a in inv.alerts()] == [("query_row", "ref=OM-AFTER-1")]
    assert ana.alerts() == []
    refreshes = [r for r in read_audit(home.home / "audit.jsonl")
                 if r["action"] == "alerts" and r["detail"].get("refresh")]
    assert sorted((r["user"], r["detail"]["only_user"], r["result_size"]) for r in refreshes) \
        == [(user_name("analyst"), user_name("analyst"), 0),
            (user_name("investigator"), user_name("investigator"), 1)]
    assert {r["user"]: r["detail"]["query_watches"] for r in refreshes} == {
        user_name("analyst"): [], user_name("investigator"): [w.watch_id]}
    alerts_after(store, home, delivery="dY")  # the CLI's line: nothing new now
    assert "alerts: 0 new for 2 watchers" in capsys.readouterr().err
