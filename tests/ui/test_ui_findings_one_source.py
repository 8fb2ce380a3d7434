"""What the workbench shows of a finding is the run file's, never the graph's copy: with
the (:Finding) index written from a run whose titles and scores were changed, the
findings page and the cases page still show the saved run's (AppTest, investigator)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from test_ui_apptest import _app, _texts

GRAPH_ONLY = "Title written in the graph only"


def test_pages_show_the_run_files_finding_not_the_graphs(ui_env: dict[str, Any]) -> None:
    from graphfraud.detect.records import FindingsDocument
    from graphfraud.detect.runner import write_back
    from graphfraud.explore.findings import findings_of
    from graphfraud.store import open_store

    doc = FindingsDocument.from_dict(ui_env["doc"])
    first = findings_of(doc)[0]
    other = replace(doc, findings=tuple(replace(f, title=GRAPH_ONLY, score=0.01)
                                        for f in doc.findings))
    settings = ui_env["settings"]
    with open_store(settings, "embedded") as st:
        assert write_back(st, other) == len(doc.findings)
        titles = st.read_cypher("MATCH (f:Finding) RETURN DISTINCT f.title AS t").rows
        assert [r["t"] for r in titles] == [GRAPH_ONLY]  # the graph's copy is changed
    try:
        at = _app("investigator", page="views/findings.py")
        text = _texts(at)
        assert first.title in text and GRAPH_ONLY not in text
        assert f"score **{first.score:.3f}**" in text
        at.switch_page("views/cases.py").run()
        assert not at.exception, at.exception
        options = at.selectbox(key="case_from").options
        assert f"{first.id} · {first.kind} · {first.score:.3f}" in options
        assert not any(o.endswith("0.010") for o in options)
    finally:
        with open_store(settings, "embedded") as st:
            st.run("findings_clear")  # the other tests' world has no index
