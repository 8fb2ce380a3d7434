"""Findings against a synthetic world's planted truth: recall at 5/10/20 per kind,
precision at 10, and where the look-alike decoys rank.

With more planted cases than k, no ranking can put them all in the top k, and with fewer,
no ranking can fill the top k with them; so both are capped, as is usual:
recall@k = cases in the top k / min(k, cases) and precision@k = true findings in the top
k / min(k, findings, cases). A finding is true for precision when it concerns a planted
case of its kind (`precision@10`) — or, in `precision@10_any_case`, any planted case:
a network around a planted factory is a real lead, though planted as a factory.
"""

from __future__ import annotations

from typing import Any

from graphfraud.detect.records import SUBJECT_LABELS, Finding, FindingsDocument

_TYPE_TO_KEY = {"trader": "traders", "premise": "premises", "address": "addresses",
                "movement": "movements", "person": "persons", "machine": "machines"}


def _matches(finding: Finding, case: dict[str, Any]) -> bool:
    """The finding is about the case: it names the case's primary subject."""
    primary = case.get("primary") or {}
    key = _TYPE_TO_KEY.get(primary.get("type", ""))
    return bool(key) and primary.get("id") in finding.subject_ids(key or "")


def _primary_hit(finding: Finding, case: dict[str, Any]) -> bool:
    primary = case.get("primary") or {}
    label = SUBJECT_LABELS.get(_TYPE_TO_KEY.get(primary.get("type", ""), ""), "")
    return f"{label}:{primary.get('id')}" == finding.primary


def evaluate_findings(document: FindingsDocument, truth: dict[str, Any]) -> dict[str, Any]:
    findings = document.findings
    kinds = sorted({c["kind"] for c in truth.get("cases", [])})
    report: dict[str, Any] = {}
    for kind in kinds:
        ranked = [f for f in findings if f.kind == kind]
        cases = [c for c in truth["cases"] if c["kind"] == kind]
        ranks = []
        for case in cases:
            hit = next((i + 1 for i, f in enumerate(ranked) if _matches(f, case)), None)
            ranks.append({"case_id": case.get("case_id"), "variant": case.get("variant"),
                          "rank": hit})
        top10 = ranked[:10]
        true_in_top10 = sum(1 for f in top10 if any(_matches(f, c) for c in cases))
        any_in_top10 = sum(1 for f in top10 if any(_matches(f, c) for c in truth["cases"]))
        cap10 = min(10, len(top10), len(cases)) or 1
        decoys = []
        for d in truth.get("decoys", []):
            if d.get("looks_like") != kind:
                continue
            hit = next((i + 1 for i, f in enumerate(ranked) if _primary_hit(f, d)), None)
            decoys.append({"decoy": d.get("variant"), "id": (d.get("primary") or {}).get("id"),
                           "rank": hit})

        def recall(k: int, ranks: list[dict] = ranks) -> float:
            # two cases can share a finding (their networks merged): cap at 1
            return min(1.0, sum(1 for r in ranks if r["rank"] and r["rank"] <= k)
                       / min(k, len(ranks))) if ranks else 0.0
        report[kind] = {
            "cases": len(cases), "findings": len(ranked),
            "recall@5": recall(5), "recall@10": recall(10), "recall@20": recall(20),
            "precision@10": min(1.0, true_in_top10 / cap10) if top10 else 0.0,
            "precision@10_any_case": min(1.0, any_in_top10 / cap10) if top10 else 0.0,
            "all_cases_in_top10": all(r["rank"] and r["rank"] <= 10 for r in ranks),
            "decoys_in_top3": sum(1 for d in decoys if d["rank"] and d["rank"] <= 3),
            "case_ranks": ranks, "decoy_ranks": decoys,
        }
    return report
