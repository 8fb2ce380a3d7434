"""A path found between two nodes of the view is drawn in place even where it runs
through nodes the view did not hold: they and their relationships are added to the
view, and a node on the path that the person had hidden is drawn again."""

from __future__ import annotations

import csv
import json
from typing import Any

from test_ui_apptest import _app

from graphfraud.explore import Subgraph, find_node
from graphfraud.resolve.normalize import address_key
from graphfraud.store import open_store


def _director_and_address(data: Any) -> tuple[str, str, str]:
    """(person, trader, address key) of a director whose trader is registered at an
    address the person does not live at: the path person → address runs via the trader."""
    with (data / "persons.csv").open(encoding="utf-8") as fh:
        homes = {r["person_id"]: address_key(r.get("postcode", ""), r.get("house_number", ""))
                 for r in csv.DictReader(fh)}
    with (data / "traders.csv").open(encoding="utf-8") as fh:
        at = {t["trader_id"]: address_key(t["postcode"], t["house_number"])
              for t in csv.DictReader(fh) if t["country"] == "NL"}
    with (data / "roles.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["trader_id"] in at and homes.get(r["person_id"]) != at[r["trader_id"]]:
                return r["person_id"], r["trader_id"], at[r["trader_id"]]
    raise AssertionError("no director away from the trader's address in the tiny world")


def _drawn_ids(at: Any) -> set[str]:
    """The node ids the explorer's network component was given to draw."""
    for el in at.get("component_instance"):
        args = json.loads(el.proto.json_args)
        if "nodes" in args and "rel_types" in args:
            return {str(n["id"]) for n in args["nodes"]}
    raise AssertionError("no network drawn")


def test_path_through_an_undrawn_node_is_added_and_drawn(ui_env: dict[str, Any]) -> None:
    person, trader, address = _director_and_address(ui_env["data"])
    with open_store(ui_env["settings"], "embedded") as st:
        p, t, a = (find_node(st, "Person", person), find_node(st, "Trader", trader),
                   find_node(st, "Address", address))
    view = Subgraph()
    view.add_node(p)
    view.add_node(a)  # a view of two nodes: the trader between them is not in it
    at = _app(page="views/explorer.py")
    at.session_state["x_view"] = view.to_dict()
    at.session_state["x_centre"] = str(p["_id"])
    at.session_state["x_purpose"] = "case 2023-17"
    at.run()
    assert str(t["_id"]) not in _drawn_ids(at)
    at.selectbox(key="x_from").set_value(str(p["_id"]))
    at.selectbox(key="x_to").set_value(str(a["_id"]))
    at.button(key="x_sp").click().run()
    assert not at.exception, at.exception
    path = at.session_state["x_path"]
    assert path["found"] and str(t["_id"]) in path["nodes"], path
    drawn = _drawn_ids(at)
    assert set(path["nodes"]) <= drawn, (path["nodes"], drawn)  # every path node drawn
    view_after = Subgraph.from_dict(at.session_state["x_view"])
    assert set(path["edges"]) <= {str(e["_id"]) for e in view_after.drawable_edges()}

    at.session_state["x_hidden"] = [str(t["_id"])]  # the person hides the trader
    at.run()
    assert str(t["_id"]) not in _drawn_ids(at)
    at.button(key="x_sp").click().run()
    assert str(t["_id"]) in _drawn_ids(at)  # the path brings it back
