"""The latest detect run is parsed and redacted once per file version (issue 18's
benchmark: ~60 ms of parsing on every page run), and a new run, or the same run
rewritten, is seen on the next request; each role still gets its own redaction."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from graphfraud.detect.records import FindingsDocument
from graphfraud.detect.runs import save_run
from graphfraud.security import User
from graphfraud.security.run_cache import latest_run
from graphfraud.security.session import Session


def _doc(run_id: str, score: float) -> FindingsDocument:
    return FindingsDocument.from_dict({"dataset": "t", "run": {"run_id": run_id, "started_at": "2024-01-01T00:00:00Z"},
            "findings": [{"id": "F-1", "kind": "phoenix", "score": score,
                          "title": "Phoenix around P-0000001",
                          "subjects": {"traders": ["T-1"], "persons": ["P-0000001"],
                                       "addresses": ["1011AA|1"]},
                          "reasons": [{"signal": "shared_director", "part": score,
                                       "evidence": "director P-0000001",
                                       "refs": ["P-0000001"]}]}]})


def _session(settings: Any, role: str) -> Session:
    return Session(None, settings, User(f"u-{role}", role))


def test_parsed_once_per_version_and_a_new_run_is_seen(settings: Any, tmp_path: Any) -> None:
    s = replace(settings, home=tmp_path / "home")
    assert latest_run(s) is None
    save_run(s, _doc("run-1", 0.5))
    first = latest_run(s)
    assert first is latest_run(s)  # the same parse
    assert first.findings[0].score == 0.5
    save_run(s, _doc("run-2", 0.7))  # a new run: the marker moves
    assert latest_run(s).findings[0].score == 0.7
    path = save_run(s, _doc("run-2", 0.9))  # the same run rewritten (size or mtime moves)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert latest_run(s).findings[0].score == 0.9


def test_each_role_gets_its_own_redaction_and_risk(settings: Any, tmp_path: Any) -> None:
    s = replace(settings, home=tmp_path / "home")
    save_run(s, _doc("run-1", 0.5))
    inv, mgr = _session(s, "investigator"), _session(s, "manager")
    assert inv.findings().to_dict()["findings"][0]["subjects"]["persons"] == ["P-0000001"]
    assert inv.findings() is _session(s, "investigator").findings()  # across Sessions
    hidden = mgr.findings().to_dict()["findings"][0]
    assert hidden["subjects"]["persons"] != ["P-0000001"] and not hidden["subjects"][
        "addresses"]
    assert "P-0000001" not in str(hidden)
    assert inv.findings_risk()[("Trader", "T-1")] == 0.5
    save_run(s, _doc("run-2", 0.8))
    assert inv.findings_risk()[("Trader", "T-1")] == 0.8
    assert _session(s, "admin").findings_risk() == {}  # may not see findings
