"""The timeline of a whole view on both stores: every dated event, the 14 retail checks
behind a supplier (named by id on the check line, or through a resolved name mention
three steps away), spans for what lasted, and the time range that filters the view."""

from __future__ import annotations

from typing import Any

import pytest
from test_explore_core import _links, _nodes

from graphfraud.explore import find_node, neighbourhood_of_node
from graphfraud.explore.timeline import (
    TimelineEvent,
    date_bounds,
    finding_events,
    full_timeline,
    in_range,
    spans,
)
from graphfraud.resolve.normalize import normalize_company_name


@pytest.fixture
def supplier(store: Any) -> Any:
    """A wholesaler named by 14 retail checks: 9 check lines state it by id, 5 name it in
    words that entity resolution linked to it (NameMention SAME_AS); one licence."""
    _nodes(store, "upsert_trader", [
        {"key": "T-HUB", "name": "Groothandel Noord B.V.",
         "name_norm": normalize_company_name("Groothandel Noord B.V."),
         "registered_on": "2015-04-01"},
        {"key": "T-SHOP", "name": "Tabakszaak Zuid",
         "name_norm": normalize_company_name("Tabakszaak Zuid")}])
    checks = [{"key": f"RC-{i:02d}", "checked_on": f"2023-{i % 12 + 1:02d}-15",
               "outcome": "ok", "outlet_name": "Tabakszaak Zuid"} for i in range(14)]
    _nodes(store, "upsert_retailcheck", checks)
    _nodes(store, "upsert_checkline", [{"key": f"CL-{i:02d}"} for i in range(14)])
    _links(store, "link_has_check_line__retailcheck_checkline",
           [(f"RC-{i:02d}", f"CL-{i:02d}") for i in range(14)])
    _links(store, "link_at_outlet__retailcheck_trader", [(f"RC-{i:02d}", "T-SHOP")
                                                         for i in range(14)])
    _links(store, "link_stated_supplier__checkline_trader",
           [(f"CL-{i:02d}", "T-HUB") for i in range(9)])
    _nodes(store, "upsert_namemention", [{"key": f"NM-{i:02d}", "name": "groothandel noord"}
                                         for i in range(9, 14)])
    _links(store, "link_named_in__namemention_checkline",
           [(f"NM-{i:02d}", f"CL-{i:02d}") for i in range(9, 14)])
    _links(store, "link_same_as__namemention_trader", [(f"NM-{i:02d}", "T-HUB")
                                                       for i in range(9, 14)])
    _nodes(store, "upsert_licence", [{"key": "LIC-1", "kind": "wholesale",
                                      "granted_on": "2016-01-01", "valid_until": "2026-01-01"}])
    _links(store, "link_held_by__licence_trader", [("LIC-1", "T-HUB")])
    return store


def test_the_timeline_holds_all_14_checks_behind_the_supplier(supplier: Any) -> None:
    hub = find_node(supplier, "Trader", "T-HUB")
    events = full_timeline(supplier, hub)
    checks = sorted(e.key for e in events if e.event == "retail check")
    assert checks == [f"RC-{i:02d}" for i in range(14)]
    assert ("2015-04-01", "registered") in {(e.date, e.event) for e in events}
    assert {"licence granted", "licence ends"} <= {e.event for e in events}
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_a_view_adds_the_events_of_every_node_drawn(supplier: Any) -> None:
    shop = find_node(supplier, "Trader", "T-SHOP")
    sg = neighbourhood_of_node(supplier, shop, 300)
    events = full_timeline(supplier, shop, list(sg.nodes.values()), list(sg.edges.values()))
    assert len({e.key for e in events if e.event == "retail check"}) == 14
    bounds = date_bounds(events)
    assert bounds == ("2023-01-15", "2023-12-15")


def test_spans_pair_a_start_with_its_end() -> None:
    ev = [TimelineEvent("2016-01-01", "licence granted", "Licence", "L", "l", "HELD_BY", ""),
          TimelineEvent("2026-01-01", "licence ends", "Licence", "L", "l", "HELD_BY", ""),
          TimelineEvent("2020-01-01", "role since", "Trader", "T", "t", "HAS_ROLE", "")]
    got = {(s.event, s.start, s.end) for s in spans(ev)}
    assert got == {("licence", "2016-01-01", "2026-01-01"),
                   ("role", "2020-01-01", "2026-01-01")}  # open: up to the last date


def test_the_range_filters_dated_nodes_and_keeps_the_rest(supplier: Any) -> None:
    shop = find_node(supplier, "Trader", "T-SHOP")
    sg = neighbourhood_of_node(supplier, shop, 300)
    nodes, edges = in_range(sg.nodes, sg.edges, "2023-03-01", "2023-05-31")
    checks = sorted(n["check_id"] for n in nodes.values() if n.get("check_id"))
    # RC-i is checked in month i % 12 + 1: March to May are i = 2, 3, 4
    assert checks == ["RC-02", "RC-03", "RC-04"]
    assert str(shop["_id"]) in nodes  # undated: always drawn
    assert all(str(e["_start"]) in nodes and str(e["_end"]) in nodes for e in edges.values())
    assert len(edges) == 3


def test_findings_and_decisions_are_events() -> None:
    from graphfraud.detect.records import Finding

    findings = [Finding.from_dict(f) for f in (
        {"id": "F-1", "kind": "supplier_network", "score": 0.9, "title": "hub",
         "subjects": {"traders": ["T-HUB"]}},
        {"id": "F-2", "kind": "phoenix", "subjects": {"traders": ["T-OTHER"]}})]
    decisions = {"F-1": {"decision": "case", "time": "2024-02-03T10:00:00Z", "reason": "x"}}
    got = finding_events(findings, decisions, "2024-01-01T00:00:00Z", {("Trader", "T-HUB")})
    assert [(e.date, e.event, e.key) for e in got] == [
        ("2024-01-01", "finding", "F-1"), ("2024-02-03", "decision: case", "F-1")]


def test_a_role_is_one_event_of_the_person_from_either_side(store: Any) -> None:
    """A dated role read from the trader's timeline and from the view drawn around it is
    one event, the person's (not a Trader and a Person copy drawn over each other in two
    colours), and it names the trader; the person's own timeline gives the same event."""
    from test_explore_core import EXTRA

    _nodes(store, "upsert_trader", [{"key": "T-1", "name": "Kiosk Berg en Dal V.O.F."}])
    _nodes(store, "upsert_person", [{"key": "P-1", "full_name": "Sanne Janssen"}])
    store.upsert("link_has_role__person_trader",
                 [{"start": "P-1", "end": "T-1", "role": "director",
                   "props": {"since": "2019-05-01"}}], extra=EXTRA)
    trader = find_node(store, "Trader", "T-1")
    sg = neighbourhood_of_node(store, trader, 300)
    events = full_timeline(store, trader, list(sg.nodes.values()), list(sg.edges.values()))
    roles = [e for e in events if e.event == "role since"]
    assert [(e.date, e.label, e.key) for e in roles] == [("2019-05-01", "Person", "P-1")]
    assert "role=director" in roles[0].detail and "at Kiosk Berg en Dal" in roles[0].detail
    person = find_node(store, "Person", "P-1")
    own = [e for e in full_timeline(store, person) if e.event == "role since"]
    assert [(e.date, e.label, e.key) for e in own] == [("2019-05-01", "Person", "P-1")]
