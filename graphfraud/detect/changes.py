"""What changed since the last run: new findings, findings whose score rose past a
threshold, and findings that disappeared. Finding ids are stable for the same subjects
(see `scoring`), so a finding is "the same" across runs when its id is.

`compare` is pure; `since_previous` reads the previous run's findings from the graph's
index (the (:Finding) nodes its write-back made from its records: id, kind, score, run
id) and is called once by the runner, before the new run's write-back replaces them.
The runner works on a store, with no home and so no run files; the index is that
previous run's records as written, which is why it can stand in for its file here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphfraud.detect.records import Change, Changes, Finding, FindingsDocument, Rise

#: a finding "rose past the threshold" when its score was below it and now is not
RISE_THRESHOLD = 0.5


def compare(previous: Sequence[Mapping[str, Any]], current: Sequence[Finding],
            threshold: float = RISE_THRESHOLD, previous_run: str | None = None) -> Changes:
    """`previous`: rows of the previous run's findings (`finding_id` or `id`, kind, score)."""
    before = {str(f["finding_id"] if "finding_id" in f else f["id"]): f for f in previous}
    now = {str(f.id): f for f in current}
    risen = tuple(Rise(i, now[i].kind, float(before[i]["score"]), float(now[i].score))
                  for i in sorted(set(now) & set(before))
                  if float(before[i]["score"]) < threshold <= float(now[i].score))
    return Changes(previous_run, threshold,
                   tuple(Change(i, now[i].kind, float(now[i].score))
                         for i in sorted(set(now) - set(before))),
                   risen,
                   tuple(Change(i, before[i].get("kind"), float(before[i]["score"]))
                         for i in sorted(set(before) - set(now))))


def since_previous(store: Any, document: FindingsDocument,
                   threshold: float = RISE_THRESHOLD) -> Changes:
    """The comparison with the findings currently in the graph (none before a first
    run: then every finding is new)."""
    previous = store.run("findings_previous")
    runs = sorted({str(r["run_id"]) for r in previous if r.get("run_id")})
    return compare(previous, document.findings, threshold, runs[-1] if runs else None)
