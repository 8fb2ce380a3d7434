"""EPS waves of the small world match the published national shares."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from graphfraud.synth.eps import TARGETS


def test_national_shares_within_two_standard_errors(small_world: Path) -> None:
    with (small_world / "eps_packs.csv").open(encoding="utf-8") as fh:
        packs = list(csv.DictReader(fh))
    for year, (not_dutch, illegal) in TARGETS.items():
        wave = [p for p in packs if p["survey_year"] == str(year)]
        n = len(wave)
        assert n >= 4000
        for target, members in [(not_dutch, {"non_domestic_legal", "counterfeit",
                                             "illicit_white", "unknown"}),
                                (illegal, {"counterfeit", "illicit_white"})]:
            share = sum(p["classification"] in members for p in wave) / n
            se = math.sqrt(target * (1 - target) / n)
            assert abs(share - target) <= 2 * se, (year, share, target)


def test_border_higher_than_non_border(small_world: Path) -> None:
    with (small_world / "eps_packs.csv").open(encoding="utf-8") as fh:
        packs = list(csv.DictReader(fh))
    for year in TARGETS:
        def share(border: str, y: int = year) -> float:
            rows = [p for p in packs if p["survey_year"] == str(y)
                    and p["border_municipality"] == border]
            return sum(p["classification"] != "domestic_duty_paid" for p in rows) / len(rows)

        assert share("true") > share("false")


def test_spike_brand_near_factory(small_world: Path) -> None:
    truth = json.loads((small_world / "truth.json").read_text(encoding="utf-8"))
    spikes = truth["eps_targets"]["spikes"]
    assert spikes
    with (small_world / "eps_packs.csv").open(encoding="utf-8") as fh:
        packs = list(csv.DictReader(fh))
    for s in spikes:
        local = [p for p in packs if p["survey_year"] == str(s["year"])
                 and p["municipality"] == s["municipality"]]
        iw = sum(p["classification"] == "illicit_white" for p in local)
        assert iw >= min(s["extra_illicit_white"], 3)


def test_classes_consistent(small_world: Path) -> None:
    with (small_world / "eps_packs.csv").open(encoding="utf-8") as fh:
        for p in csv.DictReader(fh):
            if p["classification"] == "domestic_duty_paid":
                assert p["stamp_country"] == "NL" and p["warning_language"] == "nl"
            if p["classification"] == "non_domestic_legal":
                assert p["stamp_country"] not in ("", "NL")
