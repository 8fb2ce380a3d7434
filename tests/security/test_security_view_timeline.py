"""The timeline of a whole view through the Session on both stores: an investigator sees
the seizure behind a vehicle, an analyst gets it counted as withheld and never its id
(also when the seizure is drawn in the view); one audit record per reading."""

from __future__ import annotations

import json
from typing import Any

from graphfraud.explore import neighbourhood_of_node
from graphfraud.security import User, read_audit
from graphfraud.security.session import Session


def test_view_timeline_withholds_investigation_events(world: Any) -> None:
    store, settings, _data = world
    inv = Session(store, settings, User("ivo", "investigator"), purpose="ZAAK-1")
    analyst = Session(store, settings, User("ana", "analyst"), purpose="analysis")
    row = inv.free_cypher("MATCH (v:Vehicle)<-[:INVOLVES]-(s:Seizure) "
                          "RETURN v, s.seizure_id AS sid LIMIT 1").rows[0]
    vehicle = row["v"]
    sg = neighbourhood_of_node(store, vehicle, 300)  # the seizure is drawn in the view
    theirs = inv.view_timeline(vehicle, sg)
    assert any(r["label"] == "Seizure" and r["key"] == row["sid"] for r in theirs)
    before = len(read_audit(settings.home / "audit.jsonl"))
    mine = analyst.view_timeline(vehicle, sg)
    body = json.dumps(mine)
    assert row["sid"] not in body and '"Seizure"' not in body
    assert mine[-1]["label"] == "Withheld" and "withheld" in mine[-1]["event"]
    records = read_audit(settings.home / "audit.jsonl")[before:]
    assert [r["action"] for r in records] == ["view_entity"]
    assert records[0]["user"] == "ana" and records[0]["detail"]["view"] == len(sg)
