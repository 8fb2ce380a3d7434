"""EPS shares: the interval maths, and the small world's national shares from the graph."""

import math
import shutil

import pytest

from graphfraud.explore.eps_shares import (
    ILLEGAL,
    NOT_DUTCH,
    cluster_interval,
    estimate_shares,
    wilson,
)
from graphfraud.ingest.run import ingest_directory
from graphfraud.synth.eps import TARGETS


def test_wilson_matches_a_textbook_value():
    low, high = wilson(10, 100)
    assert math.isclose(low, 0.0552, abs_tol=5e-4) and math.isclose(high, 0.1744, abs_tol=5e-4)
    assert wilson(0, 0) == (0.0, 0.0)


def test_clustered_interval_is_wider_when_routes_disagree():
    even = [(5, 50)] * 10
    uneven = [(0, 50)] * 5 + [(10, 50)] * 5
    lo_e, hi_e = cluster_interval(even)
    lo_u, hi_u = cluster_interval(uneven)
    assert hi_u - lo_u > hi_e - lo_e
    assert lo_u < 0.1 < hi_u


def test_scopes_and_order():
    rows = [{"year": 2023, "municipality": "Venlo", "border": True, "route": "r1",
             "classification": "illicit_white", "packs": 2},
            {"year": 2023, "municipality": "Venlo", "border": True, "route": "r1",
             "classification": "domestic_duty_paid", "packs": 8},
            {"year": 2023, "municipality": "Utrecht", "border": False, "route": "r1",
             "classification": "non_domestic_legal", "packs": 5},
            {"year": 2023, "municipality": "Utrecht", "border": False, "route": "r2",
             "classification": "domestic_duty_paid", "packs": 5}]
    est = estimate_shares(rows)
    assert [(e.scope, e.measure) for e in est[:2]] == [("national", NOT_DUTCH),
                                                       ("national", ILLEGAL)]
    national = {e.measure: e for e in est if e.scope == "national"}
    assert national[NOT_DUTCH].hits == 7 and national[NOT_DUTCH].packs == 20
    assert national[ILLEGAL].share == pytest.approx(0.1)
    assert {e.scope for e in est} == {"national", "border", "non-border", "Venlo", "Utrecht"}


def test_small_world_national_shares_match_the_calibration(store, tmp_path):
    from graphfraud.synth import generate_world

    world = tmp_path / "small"
    generate_world("small", 11, world)
    eps_only = tmp_path / "eps"
    eps_only.mkdir()
    for name in ("traders.csv", "eps_packs.csv"):
        shutil.copy(world / name, eps_only / name)
    ingest_directory(store, eps_only, "eps", resolve=False)
    est = estimate_shares(store.stream("eps_counts"))
    national = {(e.year, e.measure): e for e in est if e.scope == "national"}
    for year, (not_dutch, illegal) in TARGETS.items():
        for measure, target in ((NOT_DUTCH, not_dutch), (ILLEGAL, illegal)):
            e = national[(year, measure)]
            se = math.sqrt(target * (1 - target) / e.packs)
            assert abs(e.share - target) <= 2 * se, (year, measure, e.share, target)
            assert e.low <= target <= e.high
        border = {e.scope: e.share for e in est if e.year == year and e.measure == NOT_DUTCH}
        assert border["border"] > border["non-border"]
