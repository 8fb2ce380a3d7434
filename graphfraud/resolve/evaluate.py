"""How good is entity resolution against a known truth (e.g. the synthetic generator's variants)?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphfraud.resolve.matcher import MatchResult

__all__ = ["er_metrics"]


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def er_metrics(
    results: Iterable[MatchResult],
    truth_variants: Iterable[Mapping[str, object]],
) -> dict[str, float | int]:
    """Precision, recall and F1 of the *linked* results against the truth.

    ``truth_variants`` is a list of ``{"mention_id": ..., "trader_id": ... or None}``; None
    means the mention names no trader in the index. Only 'linked' results count as links:
    a candidate is a question to a reviewer, not an answer.

    - TP: a linked result whose trader_id equals the truth.
    - FP: a linked result where the truth is None or another trader.
    - FN: a truth with a trader_id that was not linked to that trader (so a wrong link is
      both an FP and an FN).

    Results for mentions absent from the truth are not judged (counted as ``unjudged``),
    so a truth covering only the planted variants does not punish the rest. Ratios with an
    empty denominator are 0.0. Also reports how many candidates there are and how many of
    them propose the true trader (the reviewer's hit rate). O(len(results) + len(truth)).

    >>> er_metrics([MatchResult("m1", "T1", 1.0, "linked", "exact:kvk_number")],
    ...            [{"mention_id": "m1", "trader_id": "T1"}])["f1"]
    1.0
    """
    truth: dict[str, str | None] = {}
    for row in truth_variants:
        trader = row.get("trader_id")
        truth[str(row["mention_id"])] = str(trader) if trader not in (None, "") else None
    tp = fp = unjudged = candidates = candidate_correct = 0
    linked_correct: set[str] = set()
    for result in results:
        if result.mention_id not in truth:
            unjudged += 1
            continue
        expected = truth[result.mention_id]
        if result.status != "linked":
            candidates += 1
            candidate_correct += int(expected is not None and result.trader_id == expected)
            continue
        if expected is not None and result.trader_id == expected:
            tp += 1
            linked_correct.add(result.mention_id)
        else:
            fp += 1
    positives = sum(1 for trader in truth.values() if trader is not None)
    fn = positives - len(linked_correct)
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "candidates": candidates,
        "candidate_correct": candidate_correct,
        "unjudged": unjudged,
    }
