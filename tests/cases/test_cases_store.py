"""Cases on both stores through the Session: made from a finding, notes, status changes,
a saved view and members survive a restart of the store and of the session (the UI);
a manager gets counts only; every change is audited with the case reference."""

from __future__ import annotations

import _detected
import pytest

from graphfraud.cases.model import CaseError
from graphfraud.security import audit as audit_mod
from graphfraud.security.roles import PermissionDenied
from graphfraud.security.session import Session, audit_path
from graphfraud.security.users import User

# The shared fixture, here and not in a tests/cases/conftest.py: a second conftest module
# shadows tests/ui's, whose APP the UI tests import, when both folders run in one pytest.
detected = _detected.detected


def _restart(store, settings):
    """Stop and start the store's server; a fresh store object on the same data."""
    from graphfraud.servers import falkordb_local, neo4j_local
    from graphfraud.store import open_store

    kind = store.kind
    store.close()
    if kind == "embedded":
        assert falkordb_local.stop(settings)
    elif settings.uses_local_neo4j:
        neo4j_local.stop(settings)
        neo4j_local.start(settings, timeout_s=240)
    return open_store(settings, kind)


def _factory(doc):
    ranked = sorted(doc.findings, key=lambda f: (f.kind != "factory_site", f.rank))
    return ranked[0]


def test_a_case_from_a_finding_survives_a_restart(detected, settings):
    store, home, doc, _ = detected
    inv = Session(store, home, User("inv", "investigator"), purpose="case FIOD-2026-001")
    finding = _factory(doc)
    case = inv.create_case("FIOD-2026-001", "Factory at the farm", members=("inv2",),
                           finding=finding, run=doc.run)
    with pytest.raises(CaseError, match="exists already"):
        inv.create_case("FIOD-2026-001", "again")
    inv.add_case_note(case.case_id, "Site visit planned with the FIOD team.")
    trader = finding.subject_ids("traders")[0] if finding.subject_ids("traders") else ""
    inv.add_case_note(case.case_id, "Owner known from an earlier case.", f"Trader:{trader}")
    with pytest.raises(CaseError, match="cannot become"):
        inv.set_case_status(case.case_id, "handed_over", "too early")
    with pytest.raises(CaseError, match="needs a reason"):
        inv.set_case_status(case.case_id, "investigating", " ")
    inv.set_case_status(case.case_id, "investigating", "tip confirms the address")
    sg = inv.finding_subgraph(finding)
    nodes = [{"id": nid, "label": n["_labels"][0], "key": _key(n), "x": 10.0 * i,
              "y": 100.0 - 3.5 * i} for i, (nid, n) in enumerate(sorted(sg.nodes.items()))]
    assert nodes, "the finding's subgraph is empty"
    view = inv.save_case_view(case.case_id, {"name": "factory", "nodes": nodes,
                                             "filters": {"labels": ["Trader", "Premise"]}})
    inv.set_case_members(case.case_id, add=("ana",))
    outsider = Session(store, home, User("inv9", "investigator"), purpose="x")
    with pytest.raises(PermissionDenied, match="neither the owner nor a member"):
        outsider.add_case_note(case.case_id, "not mine")

    store = _restart(store, settings)
    try:
        again = Session(store, home, User("inv2", "investigator"), purpose="case FIOD-2026-001")
        got = again.case(case.case_id)
        c = got["case"]
        assert (c.reference, c.title, c.status, c.owner) == (
            "FIOD-2026-001", "Factory at the farm", "investigating", "inv")
        assert c.members == ["ana", "inv2"]
        assert [(n.kind, n.text, n.target) for n in got["notes"]] == [
            ("note", "Site visit planned with the FIOD team.", ""),
            ("note", "Owner known from an earlier case.", f"Trader:{trader}"),
            ("status", "tip confirms the address", "")]
        assert (got["notes"][2].from_status, got["notes"][2].to_status) == (
            "open", "investigating")
        [lf] = got["findings"]
        assert (lf.finding_id, lf.run_id, lf.finding) == (
            finding.id, doc.run.run_id, finding)
        assert lf.data_hash == doc.run.data_hash
        assert {(e["label"], e["key"]) for e in got["entities"]} >= {("Trader", trader)}
        [v] = got["views"]
        assert v.view_id == view.view_id and v.filters == {"labels": ["Trader", "Premise"]}
        restored, positions = again.restore_case_view(case.case_id, view.view_id)
        assert {(n["_labels"][0], _key(n)) for n in restored.nodes.values()} == {
            (n["label"], n["key"]) for n in nodes}
        assert positions == {n["id"]: (n["x"], n["y"]) for n in nodes}
        assert set(restored.nodes) == {n["id"] for n in nodes}  # same node ids

        manager = Session(store, home, User("man", "manager"))
        assert manager.case_counts() == {"investigating": 1}
        for read in (lambda: manager.cases(), lambda: manager.case(case.case_id),
                     lambda: manager.add_case_note(case.case_id, "x")):
            with pytest.raises(PermissionDenied):
                read()
        analyst = Session(store, home, User("ana", "analyst"))
        with pytest.raises(PermissionDenied):  # a member, but the role sees no Wpg cases
            analyst.case(case.case_id)
    finally:
        store.close()

    records = audit_mod.read(audit_path(home))
    changes = [(r["action"], r["detail"]["outcome"]) for r in records
               if r["action"].startswith("case_") and r["user"] == "inv"]
    assert changes == [("case_create", "ok"), ("case_create", "failed"), ("case_note", "ok"),
                       ("case_note", "ok"), ("case_status", "failed"),
                       ("case_status", "failed"), ("case_status", "ok"),
                       ("case_save_view", "ok"), ("case_members", "ok")]
    assert all(r["case_ref"] == "FIOD-2026-001" for r in records
               if r["action"].startswith("case_") and r["action"] != "case_counts"
               and r["user"] in ("inv", "inv2"))
    refused = [r for r in records if r["user"] in ("man", "ana", "inv9")
               and r["action"].startswith("case_")]
    assert sorted((r["user"], r["action"], r["detail"]["outcome"]) for r in refused) == [
        ("ana", "case_view", "refused"), ("inv9", "case_note", "refused"),
        ("man", "case_counts", "ok"), ("man", "case_list", "refused"),
        ("man", "case_note", "refused"), ("man", "case_view", "refused")]

def _key(node):
    from graphfraud.explore.graph import key_of

    return key_of(node) or ""
