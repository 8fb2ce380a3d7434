"""A second delivery of a generated world raises exactly the alerts it should, on both
stores: the first delivery holds the registers and the events before 2023, the second
the whole world, in which the planted factory (a new tenant's unit in Kerkrade, with
its movements, tips and seizure) appears. The expected alerts are read from the files,
not from the graph."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from graphfraud.detect.changes import compare
from graphfraud.detect.records import Finding
from graphfraud.security.roles import PermissionDenied
from graphfraud.security.session import Session
from graphfraud.security.users import User

sys.path.insert(0, str(Path(__file__).parent))
from _deliveries import later_rows, split_world  # noqa: E402

CUTOFF = "2023-01-01"


def _trader(world: Path, trader_id: str) -> dict[str, str]:
    with (world / "traders.csv").open(newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["trader_id"] == trader_id)


def _norm(text: str) -> str:
    return text.replace(" ", "").upper()


def _expected_touches(world: Path, t: dict[str, str]) -> set[tuple[str, str, str]]:
    """What the later files bring around trader `t`, by the rules of `cases.alerts`."""
    me, subject = t["excise_number"], f"Trader:{t['trader_id']}"
    at_home = (_norm(t["postcode"]), t["house_number"])
    out = set()
    for m in later_rows(world, "movements.csv", CUTOFF):
        if m["consignee_excise_number"] == me:
            out.add(("touched", subject, f"CONSIGNED_TO Movement:{m['arc']}"))
        if m["consignor_excise_number"] == me:
            out.add(("touched", subject, f"CONSIGNED_BY Movement:{m['arc']}"))
    for tip in later_rows(world, "tips.csv", CUTOFF):
        if (_norm(tip["mentioned_postcode"]), tip["mentioned_house_number"]) == at_home \
                or (tip["mentioned_phone"] and tip["mentioned_phone"] == t["phone"]):
            out.add(("touched", subject, f"MENTIONS Tip:{tip['tip_id']}"))
    for sz in later_rows(world, "seizures.csv", CUTOFF):
        if (_norm(sz["postcode"]), sz["house_number"]) == at_home:
            out.add(("touched", subject, f"SEIZED_AT Seizure:{sz['seizure_id']}"))
        if sz["trader_id"] == t["trader_id"]:
            out.add(("touched", subject, f"INVOLVES Seizure:{sz['seizure_id']}"))
    for p in later_rows(world, "premises.csv", CUTOFF):
        if p["operator_trader_id"] == t["trader_id"]:
            out.add(("touched", subject, f"OPERATES Premise:{p['premise_id']}"))
    for c in later_rows(world, "retail_checks.csv", CUTOFF):
        if c["outlet_trader_id"] == t["trader_id"]:
            out.add(("touched", subject, f"AT_OUTLET RetailCheck:{c['check_id']}"))
    return out


def _alerts(session: Session) -> set[tuple[str, str, str]]:
    return {(a["rule"], a["subject"], a["detail"]) for a in session.alerts()}


def test_a_second_delivery_raises_exactly_its_alerts(store, tmp_path, settings):
    from dataclasses import replace

    from graphfraud.detect.runner import detect
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth import generate_world

    world = tmp_path / "w"
    generate_world("tiny", 3, world)
    d1, d2 = split_world(world, tmp_path / "deliveries", CUTOFF)
    home = replace(settings, home=tmp_path / "home")
    truth = json.loads((world / "truth.json").read_text())
    planted = next(c for c in truth["cases"] if c["kind"] == "factory_site")
    operator = next(t for t in planted["subjects"]["traders"]
                    if _trader(world, t)["registered_on"] < CUTOFF
                    and any(p["operator_trader_id"] == t
                            for p in later_rows(world, "premises.csv", CUTOFF)))
    director_firm = next(t for t in planted["subjects"]["traders"] if t != operator)
    quiet = "KVK:73972557"  # the decoys' busy clean wholesaler: new movements, no finding

    ingest_directory(store, d1, "d1", resolve=False, restart=True)
    first_doc = detect(store, "d1")
    first = first_doc.to_dict()
    inv = Session(store, home, User("inv", "investigator"), purpose="case OM-2026-17")
    ana = Session(store, home, User("ana", "analyst"))
    inv.watch("Trader", operator)
    ana.watch("Trader", director_firm)
    ana.watch("Trader", quiet)
    assert inv.refresh_alerts(first_doc, "d1") >= 0
    before_inv, before_ana = _alerts(inv), _alerts(ana)

    ingest_directory(store, d2, "d2", resolve=False)
    second_doc = detect(store, "d2")
    second = second_doc.to_dict()
    site = set(planted["subjects"]["premises"])
    factory = next(f for f in second["findings"] if f["kind"] == "factory_site"
                   and site & set(f["subjects"]["premises"]))
    changes = second["run"]["changes"]
    assert factory["id"] not in {f["id"] for f in first["findings"]}
    assert factory["id"] in {c["id"] for c in changes["new"]}  # detect lists it as new
    assert changes == compare([{"finding_id": f["id"], "kind": f["kind"],
                                "score": f["score"]} for f in first["findings"]],
                              second_doc.findings, previous_run=first["run"]["run_id"]).to_dict()
    assert inv.refresh_alerts(second_doc, "d2") > 0
    new_for = {f["id"] for f in second["findings"]
               if f["id"] in {c["id"] for c in changes["new"] + changes["risen"]}}

    def finding_alerts(trader: str) -> set[tuple[str, str, str]]:
        return {("new_finding" if f["id"] in {c["id"] for c in changes["new"]} else "risen",
                 f"Finding:{f['id']}", f"{f['kind']} concerns watched Trader:{trader}")
                for f in second["findings"] if f["id"] in new_for
                and trader in f["subjects"]["traders"]}

    op = _trader(world, operator)
    expected_inv = _expected_touches(world, op) | finding_alerts(operator)
    assert {a for a in expected_inv if a[2].startswith("CONSIGNED_TO Movement:")}
    assert {a for a in expected_inv if a[2].startswith("MENTIONS Tip:")}
    assert ("new_finding", f"Finding:{factory['id']}",
            f"factory_site concerns watched Trader:{operator}") in expected_inv
    assert _alerts(inv) - before_inv == expected_inv
    expected_ana = (_expected_touches(world, _trader(world, director_firm))
                    | finding_alerts(director_firm)
                    | _expected_touches(world, _trader(world, quiet)) | finding_alerts(quiet))
    assert _alerts(ana) - before_ana == expected_ana
    assert not finding_alerts(quiet)
    assert {a[0] for a in _alerts(ana) - before_ana if a[1] == f"Trader:{quiet}"} == {"touched"}
    assert inv.refresh_alerts(second_doc, "d2") == 0  # raised once, never twice
    with pytest.raises(PermissionDenied):
        inv.alerts("ana")  # nobody reads another's alerts
    with pytest.raises(PermissionDenied):
        Session(store, home, User("man", "manager")).alerts()


def test_compare_names_new_risen_and_disappeared():
    before = [{"finding_id": "a", "kind": "k", "score": 0.3},
              {"finding_id": "b", "kind": "k", "score": 0.6},
              {"finding_id": "c", "kind": "k", "score": 0.4}]
    now = [{"id": "a", "kind": "k", "score": 0.55}, {"id": "b", "kind": "k", "score": 0.9},
           {"id": "d", "kind": "k", "score": 0.2}]
    got = compare(before, [Finding.from_dict(f) for f in now], threshold=0.5,
                  previous_run="r1").to_dict()
    assert got == {"previous_run": "r1", "threshold": 0.5,
                   "new": [{"id": "d", "kind": "k", "score": 0.2}],
                   "risen": [{"id": "a", "kind": "k", "from": 0.3, "to": 0.55}],
                   "disappeared": [{"id": "c", "kind": "k", "score": 0.4}]}
