"""er_metrics: precision/recall of links against planted truth."""

from __future__ import annotations

import pytest

from graphfraud.resolve.evaluate import er_metrics
from graphfraud.resolve.matcher import MatchResult


def _r(mention_id: str, trader_id: str, status: str = "linked") -> MatchResult:
    return MatchResult(mention_id, trader_id, 0.95, status, "fuzzy:name+address")  # type: ignore[arg-type]


def test_counts_tp_fp_fn() -> None:
    truth = [
        {"mention_id": "a", "trader_id": "T1"},
        {"mention_id": "b", "trader_id": "T2"},
        {"mention_id": "c", "trader_id": None},
        {"mention_id": "d", "trader_id": "T4"},
        {"mention_id": "e", "trader_id": "T5"},
    ]
    results = [
        _r("a", "T1"),  # TP
        _r("b", "T9"),  # wrong trader: FP and FN
        _r("c", "T3"),  # names nobody: FP
        _r("d", "T4", "candidate"),  # candidate: not a link -> FN, but a correct candidate
        _r("z", "T1"),  # not in the truth: unjudged
    ]
    m = er_metrics(results, truth)
    assert (m["tp"], m["fp"], m["fn"]) == (1, 2, 3)
    assert m["precision"] == pytest.approx(1 / 3)
    assert m["recall"] == pytest.approx(1 / 4)
    assert m["f1"] == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))
    assert (m["candidates"], m["candidate_correct"], m["unjudged"]) == (1, 1, 1)


def test_perfect_and_empty() -> None:
    truth = [{"mention_id": "a", "trader_id": "T1"}, {"mention_id": "b", "trader_id": None}]
    assert er_metrics([_r("a", "T1")], truth)["f1"] == 1.0
    empty = er_metrics([], truth)
    assert (empty["precision"], empty["recall"], empty["f1"], empty["fn"]) == (0.0, 0.0, 0.0, 1)
    assert er_metrics([], [])["tp"] == 0


def test_empty_string_trader_means_none() -> None:
    m = er_metrics([_r("a", "T1")], [{"mention_id": "a", "trader_id": ""}])
    assert (m["tp"], m["fp"], m["fn"]) == (0, 1, 0)
