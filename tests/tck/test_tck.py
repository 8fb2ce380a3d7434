"""The openCypher TCK's read-only analyst scenarios through the console, on both stores."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tck_runner import open_session, run_all


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def tck_report(request, tck_jar, tck_subset, settings):
    from conftest import open_tck_store

    store = open_tck_store(request.param, request)
    try:
        report = run_all(open_session(store, settings), store, tck_subset.scenarios, tck_jar)
    finally:
        if store.kind == "neo4j":
            store._write("MATCH (n) DETACH DELETE n", {}, None)
        else:
            store.clear()
        store.close()
    out = os.environ.get("GRAPHFRAUD_TCK_REPORT")
    if out:
        path = Path(out) / f"tck-{store.kind}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"store": store.kind, "seconds": report.seconds,
                                    "outcomes": [o.__dict__ for o in report.outcomes]},
                                   indent=1))
    return report


def test_tck_subset(tck_report):
    print(tck_report.store, tck_report.counts(), f"{tck_report.seconds:.0f} s")
    assert tck_report.outcomes
