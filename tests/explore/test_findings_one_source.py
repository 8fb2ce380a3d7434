"""One source of truth for findings, on both stores: after `detect` the graph's
(:Finding) index says what the saved run says, and what the workbench shows of a finding
(the findings page, the explorer's risk, the timeline, a case made from it) is read from
the run file, so a title or score changed in the graph only never reaches a person."""

from __future__ import annotations

from typing import Any

from _detected import detected  # noqa: F401 - the shared fixture

from graphfraud.detect.runner import CONCERNS_CAP
from graphfraud.detect.runs import latest_run
from graphfraud.explore import find_node
from graphfraud.security.session import Session
from graphfraud.security.users import User

GRAPH_ONLY = "TITLE WRITTEN IN THE GRAPH ONLY"


def test_the_graph_index_agrees_with_the_latest_run(detected: Any) -> None:  # noqa: F811
    store, home, doc, _ = detected
    saved = latest_run(home)
    assert saved == doc and saved.findings
    rows = store.run("explorer_findings_in_graph")
    in_graph = {str(r["finding_id"]): (r["kind"], round(float(r["score"]), 6), int(r["rank"]),
                                       r["run_id"], int(r["subjects"])) for r in rows}
    in_run = {f.id: (f.kind, f.score, f.rank, saved.run.run_id,
                     sum(min(len(v), CONCERNS_CAP) for v in f.subjects.values()))
              for f in saved.findings}
    assert in_graph == in_run


def test_what_the_workbench_shows_comes_from_the_run_file(detected: Any) -> None:  # noqa: F811
    store, home, doc, _ = detected
    f = next(x for x in doc.findings if x.subject_ids("traders"))
    trader = f.subject_ids("traders")[0]
    # the graph's copy changed behind the run's back: another title, a lower score
    store.upsert("upsert_finding", [{"key": f.id, "props": {"title": GRAPH_ONLY,
                                                            "score": 0.01}}],
                 extra={"source": "test", "delivery": "test", "legal_basis": "derived"})
    assert store.run("explorer_findings_in_graph")  # the index is still there
    inv = Session(store, home, User("inv", "investigator"), purpose="case OM-1")
    shown = inv.findings()
    assert shown is not None and shown.finding(f.id).title == f.title != GRAPH_ONLY
    node = find_node(store, "Trader", trader)
    nid = str(node["_id"])
    best = max(x.score for x in doc.findings if trader in x.subject_ids("traders"))
    assert inv.risk([nid]) == {nid: best}  # the index finds it, the run scores it
    assert inv.risk([nid], {nid: ("Trader", trader)}) == {nid: best}
    hits = dict((h.id, s) for h, s in inv.search_with_risk(trader))
    assert hits.get(nid) == best
    events = inv.view_timeline(node)
    titles = {e["name"] for e in events if e.get("label") == "Finding"}
    assert f.title[:60] in titles and GRAPH_ONLY[:60] not in titles
    case = inv.create_case("OM-1", "from the run", finding=shown.finding(f.id), run=shown.run)
    [linked] = inv.case(case.case_id)["findings"]
    assert (linked.title, linked.score, linked.finding) == (f.title, f.score, f)
