"""Empty Pack Survey shares with 95% confidence intervals.

Two shares are estimated per survey year, nationally, for border and non-border
municipalities and per municipality: packs **not Dutch duty-paid** (every class but
`domestic_duty_paid`, as the Customs report it) and **illegal** packs (counterfeit plus
illicit whites). Packs are collected along routes, so packs of one route are not
independent: the interval is cluster-robust, treating routes as clusters (the
"ratio estimator" variance of a two-stage sample). Where fewer than two routes exist the
interval falls back to Wilson's score interval for independent packs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Z95 = 1.959964
NOT_DUTCH = "not_dutch_duty_paid"
ILLEGAL = "illegal"
ILLEGAL_CLASSES = frozenset({"counterfeit", "illicit_white"})


@dataclass(frozen=True)
class ShareEstimate:
    year: int
    scope: str  # "national", "border", "non-border" or a municipality
    measure: str  # NOT_DUTCH or ILLEGAL
    packs: int
    hits: int
    share: float
    low: float
    high: float
    clusters: int


def _in_measure(measure: str, classification: str) -> bool:
    if measure == NOT_DUTCH:
        return classification != "domestic_duty_paid"
    return classification in ILLEGAL_CLASSES


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion of independent draws."""
    if n == 0:
        return 0.0, 0.0
    p = hits / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def cluster_interval(clusters: list[tuple[int, int]], z: float = Z95) -> tuple[float, float]:
    """Ratio-estimator interval over clusters given as (hits, packs) pairs."""
    k = len(clusters)
    n = sum(c[1] for c in clusters)
    if k < 2 or n == 0:
        return wilson(sum(c[0] for c in clusters), n, z)
    p = sum(c[0] for c in clusters) / n
    mean_size = n / k
    var = sum((h - p * m) ** 2 for h, m in clusters) / (k - 1) / (k * mean_size ** 2)
    half = z * math.sqrt(var)
    return max(0.0, p - half), min(1.0, p + half)


def estimate_shares(rows: Iterable[Mapping[str, Any]]) -> list[ShareEstimate]:
    """Rows of `eps_counts` (year, municipality, border, route, classification, packs) to
    share estimates, in a stable order: year, scope (national, border, non-border, then
    municipalities by name), measure."""
    # (year, scope) -> route -> class -> packs
    cells: dict[tuple[int, str], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int)))
    for r in rows:
        year = int(r["year"])
        route = f"{r['municipality']}/{r.get('route') or ''}"
        packs = int(r["packs"])
        cls = r["classification"]
        for scope in ("national", "border" if r.get("border") else "non-border",
                      str(r["municipality"])):
            cells[(year, scope)][route][cls] += packs
    fixed = {"national": 0, "border": 1, "non-border": 2}
    out: list[ShareEstimate] = []
    for (year, scope) in sorted(cells, key=lambda k: (k[0], fixed.get(k[1], 3), k[1])):
        routes = cells[(year, scope)]
        for measure in (NOT_DUTCH, ILLEGAL):
            clusters = [(sum(v for c, v in by_cls.items() if _in_measure(measure, c)),
                         sum(by_cls.values())) for by_cls in routes.values()]
            n = sum(c[1] for c in clusters)
            hits = sum(c[0] for c in clusters)
            low, high = cluster_interval(clusters)
            out.append(ShareEstimate(year, scope, measure, n, hits, hits / n if n else 0.0,
                                     low, high, len(clusters)))
    return out
