"""The openCypher TCK's read-only analyst scenarios through the console, on both stores."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tck_runner import open_session, open_tck_store, run_all


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def tck_report(request, tck_jar, tck_subset, settings):
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


#: Neo4j 5.26 cases that differ from the TCK (measured; Neo4j's own behaviour):
#: a relationship reused in one pattern is not rejected, ORDER BY with an ambiguous
#: aggregation expression is not rejected, range() with a zero or empty step.
NEO4J_MIN_PASS = 0.99


def _listing(outcomes) -> str:
    return "\n".join(f"  {o.key}: {o.detail[:200]}" for o in outcomes[:20])


def test_tck_subset(tck_report, tck_subset):
    counts = tck_report.counts()
    print(tck_report.store, counts, f"{tck_report.seconds:.0f} s")
    assert len(tck_report.outcomes) == len(tck_subset.scenarios) > 1400
    if tck_report.store == "neo4j":
        share = counts["passed"] / len(tck_report.outcomes)
        assert share >= NEO4J_MIN_PASS, (
            f"Neo4j passed {share:.1%} of the TCK subset:\n"
            + _listing([o for o in tck_report.outcomes if o.outcome != "passed"]))
    else:
        wrong = tck_report.of("wrong")
        assert not wrong, (f"{len(wrong)} TCK cases silently wrong on the embedded store "
                           f"(each must pass or be refused):\n{_listing(wrong)}")
        refused = tck_report.of("refused")
        assert all("refused on the embedded store" in o.detail or "free Cypher" in o.detail
                   or "at line" in o.detail or "refused" in o.detail for o in refused)
        # what Neo4j answers, the embedded store mostly answers too
        assert counts["passed"] >= 1100, counts
