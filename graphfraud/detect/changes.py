"""What changed since the last run: new findings, findings whose score rose past a
threshold, and findings that disappeared. Finding ids are stable for the same subjects
(see `scoring`), so a finding is "the same" across runs when its id is.

`compare` is pure; `since_previous` reads the previous run's findings from the graph
(the (:Finding) nodes it wrote back) and is called once by the runner, before the new
run's write-back replaces them."""

from __future__ import annotations

from typing import Any

#: a finding "rose past the threshold" when its score was below it and now is not
RISE_THRESHOLD = 0.5


def compare(previous: list[dict[str, Any]], current: list[dict[str, Any]],
            threshold: float = RISE_THRESHOLD, previous_run: str | None = None,
            ) -> dict[str, Any]:
    before = {str(f["finding_id"] if "finding_id" in f else f["id"]): f for f in previous}
    now = {str(f["id"]): f for f in current}
    risen = [{"id": i, "kind": now[i]["kind"], "from": float(before[i]["score"]),
              "to": float(now[i]["score"])}
             for i in sorted(set(now) & set(before))
             if float(before[i]["score"]) < threshold <= float(now[i]["score"])]
    return {"previous_run": previous_run, "threshold": threshold,
            "new": [{"id": i, "kind": now[i]["kind"], "score": float(now[i]["score"])}
                    for i in sorted(set(now) - set(before))],
            "risen": risen,
            "disappeared": [{"id": i, "kind": before[i].get("kind"),
                             "score": float(before[i]["score"])}
                            for i in sorted(set(before) - set(now))]}


def since_previous(store: Any, document: dict[str, Any],
                   threshold: float = RISE_THRESHOLD) -> dict[str, Any]:
    """The comparison with the findings currently in the graph (none before a first
    run: then every finding is new)."""
    previous = store.run("findings_previous")
    runs = sorted({str(r["run_id"]) for r in previous if r.get("run_id")})
    return compare(previous, document["findings"], threshold, runs[-1] if runs else None)
